/**
 * Quotes a word for a POSIX shell when it needs it: plain words stay as they are, anything else
 * goes in single quotes (a quote inside as '\'').
 */
export function shellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) {
    return word
  }
  return `'${word.replaceAll("'", `'\\''`)}'`
}

/**
 * The command line that enrolls a machine with fleetd (`fleetd run`, see packages/agent's
 * run-command.ts): the server's URL and an enroll secret, which also picks the host's team.
 * A server with a self-signed certificate needs `--fleet-certificate` with its PEM file.
 */
export function fleetdRunCommand(options: {
  fleetUrl: string
  enrollSecret: string
  certificateFile?: string
}): string {
  const words = [
    'fleetd',
    'run',
    '--fleet-url',
    shellWord(options.fleetUrl),
    '--enroll-secret',
    shellWord(options.enrollSecret),
  ]
  if (options.certificateFile) {
    words.push('--fleet-certificate', shellWord(options.certificateFile))
  }
  return words.join(' ')
}
