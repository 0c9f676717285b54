import { statementAt, tokenize, type SqlToken } from './sql-tokens.js'

/** A column of an osquery table, as `fleetd query --schema` prints it. */
export interface SchemaColumn {
  name: string
  type: string
  /** An input column (osquery's hidden columns): only `=` constraints reach it. */
  hidden?: boolean
}

export interface SchemaTable {
  name: string
  columns: readonly SchemaColumn[]
}

export interface CompletionOption {
  label: string
  type: 'table' | 'column'
  /** What the list shows beside the label: a column's table and type. */
  detail: string
}

/** What to offer at the cursor: options replacing the text from `from` to the cursor. */
export interface SqlCompletion {
  from: number
  options: CompletionOption[]
}

/** A table named in the statement, with the alias it was given there. */
interface TableRef {
  table: SchemaTable
  alias: string | undefined
}

/** Words that end a table reference: after `FROM users` they are not its alias. */
const NOT_ALIASES = new Set(
  (
    'WHERE JOIN LEFT RIGHT FULL INNER CROSS OUTER NATURAL ON USING GROUP ORDER LIMIT OFFSET ' +
    'HAVING WINDOW UNION EXCEPT INTERSECT AS SELECT'
  ).split(' '),
)

/** Keywords that start a clause: the nearest one before a comma says what the list holds. */
const CLAUSES = new Set(
  'SELECT FROM WHERE GROUP ORDER HAVING LIMIT ON JOIN USING SET VALUES WINDOW'.split(' '),
)

const upper = (token: SqlToken | undefined) =>
  token?.kind === 'word' ? token.text.toUpperCase() : ''

function findTable(schema: readonly SchemaTable[], name: string): SchemaTable | undefined {
  const lower = name.toLowerCase()
  return schema.find((table) => table.name === lower)
}

/** Every `FROM a [AS] x, b` and `JOIN c [AS] y` of the statement that names a known table. */
function tableRefs(tokens: SqlToken[], schema: readonly SchemaTable[]): TableRef[] {
  const refs: TableRef[] = []
  for (let i = 0; i < tokens.length; i++) {
    const keyword = upper(tokens[i])
    if (keyword !== 'FROM' && keyword !== 'JOIN') {
      continue
    }
    let at = i + 1
    for (;;) {
      const name = tokens[at]
      if (name?.kind !== 'word') {
        break
      }
      at++
      if (upper(tokens[at]) === 'AS') {
        at++
      }
      const aliasToken = tokens[at]
      const alias =
        aliasToken?.kind === 'word' && !NOT_ALIASES.has(upper(aliasToken))
          ? aliasToken.text
          : undefined
      if (alias !== undefined) {
        at++
      }
      const table = findTable(schema, name.text)
      if (table) {
        refs.push({ table, alias })
      }
      // `FROM a, b` lists several tables; a JOIN names one.
      if (keyword !== 'FROM' || tokens[at]?.text !== ',') {
        break
      }
      at++
    }
  }
  return refs
}

/** Whether the cursor, after `tokens`, is where a table name goes (after FROM, JOIN or a FROM list's comma). */
function expectsTable(before: SqlToken[]): boolean {
  const last = before.at(-1)
  const word = upper(last)
  if (word === 'FROM' || word === 'JOIN') {
    return true
  }
  if (last?.text !== ',') {
    return false
  }
  let depth = 0
  for (let i = before.length - 2; i >= 0; i--) {
    const token = before[i]
    if (token?.text === ')') {
      depth++
    } else if (token?.text === '(') {
      if (depth === 0) {
        return false
      }
      depth--
    } else if (depth === 0 && CLAUSES.has(upper(token))) {
      return upper(token) === 'FROM'
    }
  }
  return false
}

function startsWith(name: string, prefix: string): boolean {
  return name.toLowerCase().startsWith(prefix.toLowerCase())
}

function columnOptions(tables: readonly SchemaTable[], prefix: string): CompletionOption[] {
  const seen = new Set<SchemaTable>()
  const options: CompletionOption[] = []
  for (const table of tables) {
    if (seen.has(table)) {
      continue
    }
    seen.add(table)
    for (const column of table.columns) {
      if (startsWith(column.name, prefix)) {
        const kind = column.hidden ? 'input' : column.type
        options.push({ label: column.name, type: 'column', detail: `${table.name} · ${kind}` })
      }
    }
  }
  return options
}

function tableOptions(schema: readonly SchemaTable[], prefix: string): CompletionOption[] {
  return schema
    .filter((table) => startsWith(table.name, prefix))
    .map((table) => ({
      label: table.name,
      type: 'table',
      detail: `${table.columns.length} columns`,
    }))
}

/**
 * What osquery tables or columns to offer at `pos` in `sql`:
 * - after FROM, JOIN (or a comma in a FROM list): the tables;
 * - after `name.`: the columns of the table that `name` is, or is the alias of, in the statement;
 * - elsewhere, once a word is started (or when `explicit`, e.g. Ctrl-Space): the columns of the
 *   tables the statement names (before or after the cursor).
 * Null when there is nothing to offer, so SQL keywords (the editor's own source) still show.
 */
export function completeSql(
  sql: string,
  pos: number,
  schema: readonly SchemaTable[],
  explicit = false,
): SqlCompletion | null {
  const { text, offset } = statementAt(sql, pos)
  const cursor = pos - offset
  const head = text.slice(0, cursor)
  const tokens = tokenize(text)
  const refs = tableRefs(tokens, schema)

  const qualified = /([A-Za-z_][\w$]*)\.([A-Za-z_][\w$]*)?$/.exec(head)
  if (qualified) {
    const qualifier = qualified[1] ?? ''
    const prefix = qualified[2] ?? ''
    const q = qualifier.toLowerCase()
    const ref = refs.find((r) => r.alias?.toLowerCase() === q || (!r.alias && r.table.name === q))
    const table = ref?.table ?? findTable(schema, qualifier)
    const options = table ? columnOptions([table], prefix) : []
    return options.length > 0 ? { from: pos - prefix.length, options } : null
  }

  const prefix = /[A-Za-z_][\w$]*$/.exec(head)?.[0] ?? ''
  const wordStart = cursor - prefix.length
  const before = tokens.filter((token) => token.to <= wordStart)
  const options = expectsTable(before)
    ? tableOptions(schema, prefix)
    : prefix !== '' || explicit
      ? columnOptions(
          refs.map((r) => r.table),
          prefix,
        )
      : []
  return options.length > 0 ? { from: pos - prefix.length, options } : null
}
