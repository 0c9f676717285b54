import { getPackSpec, getPackSpecs, getQuerySpecs, type PackSpecJson } from '@fleet/api'
import type { FleetClient } from '@fleet/client'
import type { Command } from 'commander'
import { z } from 'zod'
import { doing } from '../errors.js'
import type { Io } from '../io.js'
import { formatFlags, FormatOptions, optionsOf } from '../options.js'
import {
  outputFormat,
  renderJsonLines,
  renderTable,
  renderYamlDocs,
  specDoc,
  type OutputFormat,
} from '../render.js'
import { globalsOf, withClient } from '../session.js'

const GetPacksOptions = FormatOptions.extend({ withQueries: z.boolean().optional() })

/**
 * `fleetctl get packs [name] [--with-queries]`: 2017-style packs as a table, or as `kind: pack`
 * specs for `apply` with --yaml/--json (one pack by name prints its spec). `--with-queries` adds
 * the `kind: query` specs of the global queries the packs use, as Fleet's does. Reads
 * `GET /spec/packs[/name]`.
 */
export function registerGetPacks(get: Command, io: Io): void {
  formatFlags(
    get
      .command('packs')
      .aliases(['pack', 'p'])
      .argument('[name]', 'the pack to print as a spec (default: list them)')
      .option('--with-queries', 'with --yaml or --json, print the queries the packs use too')
      .description('List 2017 "Packs", or print one or all as specs for apply'),
  ).action(async (name: string | undefined, _opts: unknown, cmd: Command) => {
    const flags = optionsOf(GetPacksOptions, cmd)
    const format = outputFormat(flags, name === undefined ? 'table' : 'yaml')
    const out = await withClient(globalsOf(cmd, io), { auth: true }, async (client) => {
      const packs =
        name === undefined
          ? (await doing('could not list packs', () => client.call(getPackSpecs))).specs
          : [
              (
                await doing(`could not get pack "${name}"`, () =>
                  client.call(getPackSpec, { params: { name } }),
                )
              ).specs,
            ]
      const rendered = renderPacks(packs, format)
      if (!flags.withQueries || format === 'table') {
        return rendered
      }
      return rendered + (await renderPackQueries(client, packs, format))
    })
    io.stdout.write(out)
  })
}

/** Packs as Fleet's table (with its count line), or as `kind: pack` documents. */
export function renderPacks(packs: readonly PackSpecJson[], format: OutputFormat): string {
  const docs = packs.map((pack) => specDoc('pack', pack))
  switch (format) {
    case 'table':
      if (packs.length === 0) {
        return 'No 2017 "Packs" found.\n'
      }
      return `${renderTable(
        ['name', 'platform', 'description', 'disabled'],
        packs.map((p) => [p.name, p.platform, p.description, String(p.disabled)]),
      )}Found ${packs.length} 2017 "Packs".\n`
    case 'json':
      return renderJsonLines(docs)
    case 'yaml':
      return renderYamlDocs(docs)
  }
}

async function renderPackQueries(
  client: FleetClient,
  packs: readonly PackSpecJson[],
  format: 'json' | 'yaml',
): Promise<string> {
  const used = new Set(packs.flatMap((pack) => pack.queries.map((q) => q.query)))
  const { specs } = await doing('could not list queries', () =>
    client.call(getQuerySpecs, { query: {} }),
  )
  const docs = specs
    .filter((q) => used.has(q.name))
    .map((q) => specDoc('query', { name: q.name, description: q.description, query: q.query }))
  return format === 'json' ? renderJsonLines(docs) : renderYamlDocs(docs)
}
