import { FleetApiError, FleetConnectionError } from '@fleet/client/browser'

/** What a failed call means to the user, in plain words with the server's own message. */
export interface ErrorView {
  title: string
  detail: string
}

/**
 * Turns any error of a client call into a title and a detail for the page: "You don't have
 * access" for a 403, "Not found" for a 404, the field errors of a 4xx, "The server had a problem"
 * for a 5xx, "Cannot reach the server" when there is no answer.
 */
export function describeError(error: unknown): ErrorView {
  if (error instanceof FleetApiError) {
    const fields = error.errors
      .filter((e) => e.name !== 'base')
      .map((e) => `${e.name}: ${e.reason}`)
      .join('; ')
    const detail = fields ? `${error.message} (${fields})` : error.message
    if (error.status === 403) {
      return { title: "You don't have access", detail }
    }
    if (error.status === 404) {
      return { title: 'Not found', detail }
    }
    if (error.status >= 500) {
      return { title: 'The server had a problem', detail }
    }
    return { title: 'Request refused', detail }
  }
  if (error instanceof FleetConnectionError) {
    return { title: 'Cannot reach the server', detail: 'Check your connection and try again.' }
  }
  return {
    title: 'Something went wrong',
    detail: error instanceof Error ? error.message : String(error),
  }
}

/** Whether retrying could help: connection problems and 5xx, never a 4xx. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof FleetApiError) {
    return error.status >= 500
  }
  return error instanceof FleetConnectionError
}
