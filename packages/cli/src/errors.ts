import { ErrorCode } from '@fleet/api'
import { FleetApiError, FleetConnectionError, FleetResponseError } from '@fleet/client'

/**
 * An error meant for the user: its message is printed as `Error: <message>`. Give a `cause` to
 * say what was being done when an API call failed (`applying teams`), and `hints` for what to do.
 */
export class CliError extends Error {
  override readonly name = 'CliError'
  readonly hints: readonly string[]

  constructor(message: string, opts: { cause?: unknown; hints?: readonly string[] } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.hints = opts.hints ?? []
  }
}

/** Wraps any failure of `fn` in a {@link CliError} saying what was being done. */
export async function doing<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof CliError && err.cause === undefined) {
      throw err
    }
    throw new CliError(what, { cause: err })
  }
}

/**
 * Whether the server said the thing asked for doesn't exist: a 404, unless the route itself is
 * unknown (an older server), which must not read as "already gone".
 */
export function isNotFound(err: unknown): boolean {
  return (
    err instanceof FleetApiError && err.status === 404 && err.code !== ErrorCode.ROUTE_NOT_FOUND
  )
}

/**
 * The lines to print on stderr for a failed command: `Error: ...`, one line per field error,
 * then hints. Stack traces only with `debug`, and never for API errors.
 */
export function formatError(err: unknown, opts: { debug?: boolean } = {}): string[] {
  const context: string[] = []
  const hints: string[] = []
  let inner: unknown = err
  while (inner instanceof CliError) {
    context.push(inner.message)
    hints.push(...inner.hints)
    if (inner.cause === undefined) {
      return [`Error: ${context.join(': ')}`, ...hints]
    }
    inner = inner.cause
  }
  const lines = describeCause(inner, context)
  hints.push(...hintsFor(inner))
  if (opts.debug && inner instanceof Error && !(inner instanceof FleetApiError) && inner.stack) {
    lines.push(inner.stack)
  }
  return [...lines, ...hints]
}

function describeCause(err: unknown, context: string[]): string[] {
  const prefix = context.length > 0 ? `${context.join(': ')}: ` : ''
  if (err instanceof FleetApiError) {
    const details = err.errors
      .filter((detail) => detail.reason !== err.message)
      .map((detail) =>
        detail.name === 'base' || detail.name === ''
          ? `  - ${detail.reason}`
          : `  - ${detail.name}: ${detail.reason}`,
      )
    return [`Error: ${prefix}${err.message} (status ${err.status})`, ...details]
  }
  if (err instanceof Error) {
    return [`Error: ${prefix}${err.message}`]
  }
  return [`Error: ${prefix}${String(err)}`]
}

function hintsFor(err: unknown): string[] {
  if (err instanceof FleetApiError) {
    switch (err.code) {
      case ErrorCode.AUTH_REQUIRED:
        return ['Please log in with: fleetctl login']
      case ErrorCode.PASSWORD_RESET_REQUIRED:
        return ['This user must reset their password in the Fleet UI before using fleetctl.']
      default:
        return []
    }
  }
  if (err instanceof FleetConnectionError && err.reason === 'tls') {
    return [
      'If the server uses a self-signed certificate, trust it with',
      '  fleetctl config set --rootca <ca.pem>   or skip verification with   --tls-skip-verify',
    ]
  }
  if (err instanceof FleetResponseError) {
    return [
      'The server answered in an unexpected format; are fleetctl and the server the same version?',
    ]
  }
  return []
}
