import { readFile } from 'node:fs/promises'
import { FleetClient } from '@fleet/client'
import type { Command } from 'commander'
import { z } from 'zod'
import { defaultConfigPath, readContext, type FleetContext } from './config-file.js'
import { CliError } from './errors.js'
import type { Io } from './io.js'
import { VERSION } from './version.js'

/** The global flags every command honours. */
export interface Globals {
  configPath: string
  contextName: string
  debug: boolean
}

const GlobalFlags = z.object({
  config: z.string().optional(),
  context: z.string().optional(),
  debug: z.boolean().optional(),
})

/** Reads `--config`, `--context` and `--debug`, wherever on the command line they were given. */
export function globalsOf(cmd: Command, io: Io): Globals {
  const flags = GlobalFlags.parse(cmd.optsWithGlobals())
  return {
    configPath: flags.config || defaultConfigPath(io.env, io.homeDir),
    contextName: flags.context || io.env.FLEETCTL_CONTEXT || 'default',
    debug: flags.debug ?? false,
  }
}

const NO_ADDRESS_HINT =
  'set the Fleet API address with: fleetctl config set --address https://localhost:8080'

/**
 * Builds a client from the selected context. `auth: true` demands a token (every endpoint but
 * setup and login). The caller closes the client; prefer {@link withClient}.
 */
export async function openClient(globals: Globals, opts: { auth: boolean }): Promise<FleetClient> {
  const context = await readContext(globals.configPath, globals.contextName)
  if (!context) {
    throw new CliError(`context "${globals.contextName}" not found in ${globals.configPath}`, {
      hints: [NO_ADDRESS_HINT + contextFlag(globals)],
    })
  }
  if (!context.address) {
    throw new CliError(`no Fleet address in context "${globals.contextName}"`, {
      hints: [NO_ADDRESS_HINT + contextFlag(globals)],
    })
  }
  if (opts.auth && !context.token) {
    throw new CliError('Please log in with: fleetctl login' + contextFlag(globals))
  }
  return new FleetClient({
    address: context.address,
    token: context.token ?? undefined,
    tlsSkipVerify: context['tls-skip-verify'] ?? false,
    rootCA: await readRootCA(context),
    urlPrefix: context['url-prefix'] ?? undefined,
    userAgent: `fleetctl/${VERSION}`,
  })
}

/** Runs `fn` with a client for the selected context and closes the client afterwards. */
export async function withClient<T>(
  globals: Globals,
  opts: { auth: boolean },
  fn: (client: FleetClient) => Promise<T>,
): Promise<T> {
  const client = await openClient(globals, opts)
  try {
    return await fn(client)
  } finally {
    await client.close()
  }
}

async function readRootCA(context: FleetContext): Promise<string | undefined> {
  if (!context.rootca) {
    return undefined
  }
  try {
    return await readFile(context.rootca, 'utf8')
  } catch (err) {
    throw new CliError(`reading the rootca file ${context.rootca}`, { cause: err })
  }
}

function contextFlag(globals: Globals): string {
  return globals.contextName === 'default' ? '' : ` --context ${globals.contextName}`
}

/** The selected context's TLS settings, for connections beside the REST client (websockets). */
export async function tlsSettings(
  globals: Globals,
): Promise<{ rootCA?: string; tlsSkipVerify: boolean; urlPrefix?: string }> {
  const context = await readContext(globals.configPath, globals.contextName)
  const rootCA = context ? await readRootCA(context) : undefined
  return {
    ...(rootCA !== undefined && { rootCA }),
    tlsSkipVerify: context?.['tls-skip-verify'] ?? false,
    ...(context?.['url-prefix'] && { urlPrefix: context['url-prefix'] }),
  }
}
