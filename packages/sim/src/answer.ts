import { QUERY_PREFIX, type DistributedWriteRequest, type ResultRow } from '@fleet/api'

/** One query's outcome: rows (status 0), or a failure with osquery's message. */
export type QueryAnswer = { status: 0; rows: ResultRow[] } | { status: 1; message: string }

/** Where answers come from; the host supplies its template, randomness and sample rows. */
export interface AnswerSource {
  /** Rows of the template block named exactly like the query, or undefined without one. */
  templateRows(queryName: string): ResultRow[] | undefined
  /** A number in [0, 1). */
  random(): number
  /** Probability that a policy query returns a row (passes). */
  policyPassProb: number
  /** A few plausible rows for a live (distributed) query. */
  sampleRows(queryName: string): ResultRow[]
}

/**
 * Answers a query the way osquery-perf does: the template's block when there is one, an empty
 * label result, a policy that passes with `policyPassProb`, a few rows for a live query, and
 * osquery's own error for anything else.
 */
export function answerQuery(name: string, source: AnswerSource): QueryAnswer {
  let rows: ResultRow[] | undefined
  try {
    rows = source.templateRows(name)
  } catch (err) {
    return { status: 1, message: `simulator template error: ${String(err)}` }
  }
  if (rows !== undefined) {
    return { status: 0, rows }
  }
  if (name.startsWith(QUERY_PREFIX.label)) {
    return { status: 0, rows: [] }
  }
  if (name.startsWith(QUERY_PREFIX.policy)) {
    return { status: 0, rows: source.random() < source.policyPassProb ? [{ '1': '1' }] : [] }
  }
  if (name.startsWith(QUERY_PREFIX.distributed)) {
    return { status: 0, rows: source.sampleRows(name) }
  }
  return { status: 1, message: `no such table: ${name}` }
}

/** The body of one distributed/write answering every query of a distributed/read. */
export type WriteBody = Required<Pick<DistributedWriteRequest, 'queries' | 'statuses' | 'messages'>>

/**
 * Answers all `queries` (name → SQL) for one distributed/write. A failed query is sent as `""`
 * with its non-zero status and message, as osquery does.
 */
export function answerQueries(queries: Record<string, string>, source: AnswerSource): WriteBody {
  const body: WriteBody = { queries: {}, statuses: {}, messages: {} }
  for (const name of Object.keys(queries)) {
    const answer = answerQuery(name, source)
    body.statuses[name] = answer.status
    switch (answer.status) {
      case 0:
        body.queries[name] = answer.rows
        break
      case 1:
        body.queries[name] = ''
        body.messages[name] = answer.message
        break
    }
  }
  return body
}
