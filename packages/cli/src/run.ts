import { CommanderError } from 'commander'
import { formatError } from './errors.js'
import { println, type Io } from './io.js'
import { buildProgram } from './program.js'

/**
 * Runs fleetctl with `argv` (the arguments after the program name) and returns the exit code:
 * 0 on success, 1 on any error, which is printed to stderr as `Error: ...` without a stack trace.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return 0
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed the usage error or the help text.
      return err.exitCode
    }
    const debug = program.opts()['debug'] === true
    for (const line of formatError(err, { debug })) {
      println(io.stderr, line)
    }
    return 1
  }
}
