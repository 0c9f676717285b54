import type { UseQueryResult } from '@tanstack/react-query'
import { ErrorNotice, Loading } from './ui.js'

/** A query's loading or failed state (with "Try again"); nothing once it has data. */
export function QueryStatus({ query, what }: { query: UseQueryResult<unknown>; what: string }) {
  if (query.isPending) {
    return <Loading what={what} />
  }
  if (query.isError) {
    return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />
  }
  return null
}
