import { runCli, type CliIo } from './cli.js'

/** The `fleet-sim` entry point (bin/fleet-sim.js): runs the simulation and sets the exit code. */
export async function main(argv: string[]): Promise<void> {
  process.exitCode = await runCli(argv, processIo())
}

/** stdout/stderr, and SIGINT/SIGTERM as stop requests; a second signal exits at once. */
function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    onStopRequest(handler) {
      let requested = false
      const onSignal = (signal: NodeJS.Signals): void => {
        if (requested) {
          process.stderr.write(`fleet-sim: second ${signal}, exiting now\n`)
          process.exit(130)
        }
        requested = true
        process.stderr.write(`fleet-sim: ${signal}, stopping (again to force)\n`)
        handler()
      }
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
      return () => {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
      }
    },
  }
}
