import {
  applyGlobalEnrollSecrets,
  applyLabelSpecs,
  applyPackSpecs,
  applyPolicySpecs,
  applyQuerySpecs,
  applyTeamSpecs,
  modifyConfig,
} from '@fleet/api'
import type { FleetClient } from '@fleet/client'
import type { Command } from 'commander'
import { z } from 'zod'
import { doing } from '../errors.js'
import { println, type Io } from '../io.js'
import { optionsOf } from '../options.js'
import { globalsOf, withClient } from '../session.js'
import { readSpecFile } from '../spec-file.js'
import type { SpecGroup } from '../specs.js'
import { applyUserRoles } from '../user-roles.js'

const ApplyOptions = z.object({
  f: z.string(),
  dryRun: z.boolean().optional(),
  force: z.boolean().optional(),
})
type ApplyOptions = z.output<typeof ApplyOptions>

/**
 * `fleetctl apply -f file.yml`: labels first, then config, enroll secrets, teams, policies,
 * queries, packs and user roles (Fleet's order: teams may refer to labels, the rest to teams), each kind
 * in one request (user roles: one per user). Everything in the file is validated before the first request.
 */
export function registerApply(program: Command, io: Io): void {
  program
    .command('apply')
    .description(
      'Apply label, team, enroll_secret, config, policy, query, pack and user_roles specs from a YAML file',
    )
    .requiredOption('-f <file>', 'the YAML file of specs to apply')
    .option('--dry-run', 'validate the specs on the server without applying them')
    .option('--force', "apply even if the server's validation of agent options warns")
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = globalsOf(cmd, io)
      const opts = optionsOf(ApplyOptions, cmd)
      const specs = await readSpecFile(opts.f, io.cwd)
      warnIgnored(specs, io)
      await withClient(globals, { auth: true }, (client) => applySpecs(client, specs, opts, io))
    })
}

async function applySpecs(
  client: FleetClient,
  specs: SpecGroup,
  opts: ApplyOptions,
  io: Io,
): Promise<void> {
  const verb = opts.dryRun ? "[+] would've applied" : '[+] applied'
  const force = opts.force ? 'true' : undefined
  const dryRun = opts.dryRun ? 'true' : undefined
  const { labels, config, enrollSecret, teams } = specs
  if (labels.length > 0) {
    await applyLabels(client, labels, opts, io)
  }
  if (config) {
    const applied = await doing('applying fleet config', () =>
      client.call(modifyConfig, { query: { force, dry_run: dryRun }, body: config.spec }),
    )
    println(io.stdout, `${verb} fleet config`)
    if (applied.warnings && applied.warnings.length > 0) {
      println(io.stderr, `[!] stored, but no effect on this server: ${applied.warnings.join(', ')}`)
    }
  }
  if (enrollSecret) {
    await doing('applying enroll secrets', () =>
      client.call(applyGlobalEnrollSecrets, {
        query: { dry_run: dryRun },
        body: { spec: { secrets: enrollSecret.secrets } },
      }),
    )
    println(io.stdout, `${verb} enroll secrets`)
  }
  if (teams.length > 0) {
    await doing('applying teams', () =>
      client.call(applyTeamSpecs, {
        query: { force, dry_run: dryRun },
        body: { specs: teams.map((doc) => doc.spec) },
      }),
    )
    println(io.stdout, `${verb} ${teams.length} teams`)
  }
  await applyByName(client, specs, opts, io)
  await applyRoles(client, specs.userRoles, opts, io)
}

/** User roles, after teams (they name them); by `POST /users/roles/spec`, which has no dry run. */
async function applyRoles(
  client: FleetClient,
  docs: SpecGroup['userRoles'],
  opts: ApplyOptions,
  io: Io,
): Promise<void> {
  if (docs.length === 0) {
    return
  }
  if (opts.dryRun) {
    println(io.stdout, "[!] ignoring user roles: dry run mode doesn't cover them")
    return
  }
  for (const doc of docs) {
    const count = await applyUserRoles(client, doc.spec)
    println(io.stdout, `[+] applied user roles of ${count} users`)
  }
}

/**
 * Policies, queries and packs (after the queries they name): created or updated by team and name;
 * their endpoints have no dry run.
 */
async function applyByName(
  client: FleetClient,
  specs: SpecGroup,
  opts: ApplyOptions,
  io: Io,
): Promise<void> {
  const { policies, queries, packs } = specs
  if ((policies.length > 0 || queries.length > 0 || packs.length > 0) && opts.dryRun) {
    println(io.stdout, "[!] ignoring policies, queries and packs: dry run mode doesn't cover them")
    return
  }
  if (policies.length > 0) {
    await doing('applying policies', () =>
      client.call(applyPolicySpecs, { body: { specs: policies.map((doc) => doc.spec) } }),
    )
    println(io.stdout, `[+] applied ${policies.length} policies`)
  }
  if (queries.length > 0) {
    await doing('applying queries', () =>
      client.call(applyQuerySpecs, { body: { specs: queries.map((doc) => doc.spec) } }),
    )
    println(io.stdout, `[+] applied ${queries.length} queries`)
  }
  if (packs.length > 0) {
    await doing('applying packs', () =>
      client.call(applyPackSpecs, { body: { specs: packs.map((doc) => doc.spec) } }),
    )
    println(io.stdout, `[+] applied ${packs.length} packs`)
  }
}

async function applyLabels(
  client: FleetClient,
  labels: SpecGroup['labels'],
  opts: ApplyOptions,
  io: Io,
): Promise<void> {
  if (opts.dryRun) {
    // The labels endpoint has no dry run; Fleet's fleetctl skips them too.
    println(
      io.stdout,
      "[!] ignoring labels, dry run mode only supported for 'config' and 'team' specs",
    )
    return
  }
  await doing('applying labels', () =>
    client.call(applyLabelSpecs, { body: { specs: labels.map((doc) => doc.spec) } }),
  )
  println(io.stdout, `[+] applied ${labels.length} labels`)
}

function warnIgnored(specs: SpecGroup, io: Io): void {
  for (const doc of [...specs.teams, ...(specs.config ? [specs.config] : [])]) {
    if (doc.ignored.length > 0) {
      println(
        io.stderr,
        `[!] document ${doc.index} (kind "${doc.kind}"): ignoring unsupported keys: ${doc.ignored.join(', ')}`,
      )
    }
  }
}
