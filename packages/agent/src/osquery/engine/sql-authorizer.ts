import { tokenize } from './sql-scan.js'

/**
 * What osquery's SQL authorizer refuses, checked before a statement is prepared (better-sqlite3
 * exposes no `sqlite3_set_authorizer`). A live query runs on every targeted host as the agent's
 * user, often root, so a statement that reaches outside the in-memory database is a file write on
 * every host: `ATTACH DATABASE '/any/path'` creates the file, `VACUUM INTO '/path'` writes one, and
 * `PRAGMA query_only = OFF` would lift the engine's read-only guard. SQLite's own message for a
 * denied action is `not authorized`, which is what osquery reports too.
 */
export const NOT_AUTHORIZED = 'not authorized'

/** Statements that act on database files rather than reading tables. */
const DENIED_STATEMENTS = new Set(['ATTACH', 'DETACH', 'VACUUM'])

/**
 * Pragmas that only describe the schema; the only ones that may take an argument, which then
 * names what to describe (`PRAGMA table_info(processes)`). Any other pragma may be read
 * (`PRAGMA query_only`) but never set.
 */
const INTROSPECTION_PRAGMAS = new Set([
  'table_info',
  'table_xinfo',
  'table_list',
  'index_info',
  'index_xinfo',
  'index_list',
  'foreign_key_list',
  'function_list',
  'module_list',
  'pragma_list',
  'collation_list',
  'database_list',
  'compile_options',
])

/** Words that may stand before the statement's own verb. */
const PREFIXES = new Set(['EXPLAIN', 'QUERY', 'PLAN'])

/** True when a PRAGMA statement (tokens after the keyword) would set a value. */
function setsPragma(words: readonly string[], ops: readonly string[]): boolean {
  // `PRAGMA schema.name …`: the name is the word after the dot.
  const name = (ops[0] === '.' ? words[1] : words[0])?.toLowerCase() ?? ''
  const assigns = ops.includes('=')
  const hasArgument = ops.includes('(')
  return assigns || (hasArgument && !INTROSPECTION_PRAGMAS.has(name))
}

/**
 * Why one statement may not run, or undefined when it may. Only the statement's leading verb
 * matters: ATTACH and PRAGMA can't appear inside another statement (a `pragma_*` table-valued
 * function in a SELECT is read-only by SQLite's design).
 */
export function deniedStatement(statement: string): string | undefined {
  const tokens = tokenize(statement)
  let i = 0
  while (tokens[i]?.kind === 'word' && PREFIXES.has(tokens[i]?.text.toUpperCase() ?? '')) {
    i += 1
  }
  const verb = tokens[i]?.kind === 'word' ? (tokens[i]?.text.toUpperCase() ?? '') : ''
  if (DENIED_STATEMENTS.has(verb)) {
    return NOT_AUTHORIZED
  }
  if (verb !== 'PRAGMA') {
    return undefined
  }
  const rest = tokens.slice(i + 1)
  const words = rest.filter((t) => t.kind === 'word').map((t) => t.text)
  const ops = rest.filter((t) => t.kind === 'op').map((t) => t.text)
  return setsPragma(words, ops) ? NOT_AUTHORIZED : undefined
}
