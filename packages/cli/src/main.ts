import { processIo } from './process-io.js'
import { run } from './run.js'

/** The `fleetctl` entry point (bin/fleetctl.js): runs the command and sets the exit code. */
export async function main(argv: string[]): Promise<void> {
  const io = processIo()
  try {
    process.exitCode = await run(argv, io)
  } finally {
    io.dispose()
  }
}
