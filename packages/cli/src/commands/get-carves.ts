import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { getCarve, getCarveBlock, listCarves, type Carve } from '@fleet/api'
import type { FleetClient } from '@fleet/client'
import type { Command } from 'commander'
import { z } from 'zod'
import { CliError, doing } from '../errors.js'
import type { Io } from '../io.js'
import { optionsOf } from '../options.js'
import { renderTable, renderYamlDocs } from '../render.js'
import { globalsOf, withClient } from '../session.js'

const CarvesOptions = z.object({ expired: z.boolean().optional() })
const CarveOptions = z.object({ stdout: z.boolean().optional(), outfile: z.string().optional() })

/**
 * `fleetctl get carves [--expired]` and `get carve ID [--stdout | --outfile FILE]`, as Fleet's:
 * the carve sessions as a table; one carve as YAML, or its contents (every block, in order).
 */
export function registerGetCarves(get: Command, io: Io): void {
  get
    .command('carves')
    .description('Retrieve the file carving sessions')
    .option('--expired', 'include expired carves')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = optionsOf(CarvesOptions, cmd)
      const carves = await withClient(globalsOf(cmd, io), { auth: true }, (client) =>
        doing('could not list carves', () =>
          client.call(listCarves, { query: { expired: opts.expired ? 'true' : 'false' } }),
        ),
      )
      io.stdout.write(renderCarves(carves.carves))
    })

  get
    .command('carve')
    .argument('<id>', 'the carve to show')
    .description('Retrieve details for a carve by ID')
    .option('--stdout', "print the carve's contents to stdout")
    .option('--outfile <file>', "write the carve's contents to this file")
    .action(async (idText: string, _opts: unknown, cmd: Command) => {
      const opts = optionsOf(CarveOptions, cmd)
      if (!/^\d+$/.test(idText)) {
        throw new CliError(`unable to parse carve ID as int: "${idText}"`)
      }
      if (opts.stdout && opts.outfile !== undefined) {
        throw new CliError('--stdout and --outfile must not be specified together')
      }
      const id = Number(idText)
      await withClient(globalsOf(cmd, io), { auth: true }, async (client) => {
        const { carve } = await client.call(getCarve, { params: { id } })
        if (carve.error !== null) {
          throw new CliError(carve.error)
        }
        if (!opts.stdout && opts.outfile === undefined) {
          io.stdout.write(renderYamlDocs([carve]))
          return
        }
        const contents = await downloadCarve(client, carve)
        if (opts.outfile !== undefined) {
          await writeFile(resolve(io.cwd, opts.outfile), contents, { mode: 0o600 })
        } else {
          io.stdout.write(contents)
        }
      })
    })
}

/** Fleet's carves table; "No carves found" when there are none. */
export function renderCarves(carves: readonly Carve[]): string {
  if (carves.length === 0) {
    return 'No carves found\n'
  }
  return renderTable(
    ['id', 'created_at', 'request_id', 'carve_size', 'completion', 'errored'],
    carves.map((c) => [
      String(c.id),
      c.created_at,
      c.request_id,
      String(c.carve_size),
      c.expired ? 'Expired' : `${Math.floor(((c.max_block + 1) / c.block_count) * 100)}%`,
      c.error === null ? 'no' : 'yes',
    ]),
  )
}

/** The carve's blocks, fetched in order and joined. */
async function downloadCarve(client: FleetClient, carve: Carve): Promise<Buffer> {
  if (carve.expired) {
    throw new CliError('carve is expired')
  }
  if (carve.max_block + 1 < carve.block_count) {
    throw new CliError(
      `carve is not complete: ${carve.max_block + 1} of ${carve.block_count} blocks received`,
    )
  }
  const blocks: Buffer[] = []
  for (let block = 0; block < carve.block_count; block++) {
    const res = await doing(`could not download block ${block}`, () =>
      client.call(getCarveBlock, { params: { id: carve.id, block_id: block } }),
    )
    blocks.push(Buffer.from(res.data, 'base64'))
  }
  return Buffer.concat(blocks)
}
