import { type AppConfig, type EnrollSecret, type Team, type TeamSpec } from '@fleet/api'
import { stringify } from 'yaml'
import { CliError } from './errors.js'
import { SERVER_ONLY_CONFIG_KEYS } from './specs.js'

export type OutputFormat = 'table' | 'json' | 'yaml'

/** Picks the output format from `--json` / `--yaml`, refusing both at once. */
export function outputFormat(
  flags: { json?: boolean | undefined; yaml?: boolean | undefined },
  fallback: OutputFormat,
): OutputFormat {
  if (flags.json && flags.yaml) {
    throw new CliError("Can't specify both yaml and json flags.")
  }
  return flags.json ? 'json' : flags.yaml ? 'yaml' : fallback
}

/** Fleet's spec envelope: what `get --yaml` prints and `apply -f` reads. */
export interface SpecEnvelope<K extends string, S> {
  apiVersion: 'v1'
  kind: K
  spec: S
}

export function specDoc<K extends string, S>(kind: K, spec: S): SpecEnvelope<K, S> {
  return { apiVersion: 'v1', kind, spec }
}

/** YAML documents, each introduced by `---` as Fleet prints them. Long strings are not folded. */
export function renderYamlDocs(docs: readonly unknown[]): string {
  return docs
    .map((doc) => `---\n${stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })}`)
    .join('')
}

/** One compact JSON document per line (what Fleet's `--json` prints; `jq` reads it). */
export function renderJsonLines(docs: readonly unknown[]): string {
  return docs.map((doc) => `${JSON.stringify(doc)}\n`).join('')
}

/**
 * A bordered table with a line between rows, headers upper-cased and numbers right-aligned, like
 * the tables of Fleet's fleetctl.
 */
export function renderTable(
  columns: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  const header = columns.map((c) => c.toUpperCase())
  const cells = rows.map((row) => columns.map((_, i) => flatten(row[i] ?? '')))
  const widths = header.map((h, i) =>
    Math.max(width(h), ...cells.map((row) => width(row[i] ?? ''))),
  )
  const numeric = widths.map(
    (_, i) => cells.length > 0 && cells.every((row) => /^-?\d+(\.\d+)?$/.test(row[i] ?? '')),
  )
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`
  const line = (row: readonly string[], align: boolean): string =>
    `|${row.map((cell, i) => ` ${pad(cell, widths[i] ?? 0, align && (numeric[i] ?? false))} `).join('|')}|`
  const out = [rule, line(header, false), rule]
  for (const row of cells) {
    out.push(line(row, true), rule)
  }
  return `${out.join('\n')}\n`
}

function flatten(cell: string): string {
  return cell.replace(/\s*\n\s*/g, ' ')
}

function width(text: string): number {
  return [...text].length
}

function pad(text: string, to: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, to - width(text)))
  return right ? fill + text : text + fill
}

/**
 * The appliable spec of a team (`spec.team` of a `kind: team` document). Like Fleet, it leaves
 * out the enroll secrets: re-applying the spec then keeps the team's secrets as they are.
 */
export function teamSpecOf(team: Team): TeamSpec {
  return {
    name: team.name,
    description: team.description,
    ...(team.agent_options === null ? {} : { agent_options: team.agent_options }),
    features: team.features,
    host_expiry_settings: team.host_expiry_settings,
    webhook_settings: team.webhook_settings,
  }
}

/** The `kind: config` spec: the org settings, plus the server's own facts only when asked. */
export function configSpecOf(
  config: AppConfig,
  includeServerConfig: boolean,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).filter(
      ([key]) => includeServerConfig || !SERVER_ONLY_CONFIG_KEYS.has(key),
    ),
  )
}

/** The `kind: enroll_secret` spec of the global secrets. */
export function enrollSecretSpecOf(secrets: readonly EnrollSecret[]): {
  secrets: Array<{ secret: string; created_at: string }>
} {
  return { secrets: secrets.map((s) => ({ secret: s.secret, created_at: s.created_at })) }
}
