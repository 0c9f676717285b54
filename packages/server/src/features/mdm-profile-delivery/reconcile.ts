import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database, Db } from '../../db/database.js'
import type { Clock } from '../../platform/clock.js'
import type { Log } from '../../platform/logger.js'
import { encodeCommand, type CommandQueue, type EncodedCommand } from '../mdm-commands/index.js'
import {
  planHost,
  scopeFor,
  type DeliverableProfile,
  type HostProfileState,
  type ScopeLabel,
} from './delivery.js'
import * as store from './mdm-profile-delivery.store.js'
import type { EnrolledHost, PendingRow } from './mdm-profile-delivery.store.js'

/** Enrolled hosts read per chunk: a handful of statements each, never one per host. */
export const HOST_CHUNK = 1000

export interface ReconcileDeps {
  db: Kysely<Database>
  clock: Clock
  log: Log
  queue: Pick<CommandQueue, 'enqueue' | 'pusher'>
}

/** The commands one run decided: one per profile, for every host that needs it. */
interface Batch {
  command: EncodedCommand
  rows: PendingRow[]
  enrollmentIds: string[]
}

/** What one run did (the cron runner logs it). */
export interface ReconcileStats {
  hosts: number
  installs: number
  removes: number
  forgotten: number
  commands: number
}

function installBatch(profile: DeliverableProfile): Batch {
  return {
    command: encodeCommand(randomUUID(), 'InstallProfile', {
      Payload: Buffer.from(profile.contents, 'utf8'),
    }),
    rows: [],
    enrollmentIds: [],
  }
}

function removeBatch(identifier: string): Batch {
  return {
    command: encodeCommand(randomUUID(), 'RemoveProfile', { Identifier: identifier }),
    rows: [],
    enrollmentIds: [],
  }
}

/** Plans one chunk of hosts into the run's batches; returns the rows to forget. */
async function planChunk(
  db: Db,
  chunk: readonly EnrolledHost[],
  profiles: readonly DeliverableProfile[],
  labels: ReadonlyMap<string, ScopeLabel[]>,
  batches: { install: Map<string, Batch>; remove: Map<string, Batch> },
): Promise<{ hostUuid: string; profileUuid: string }[]> {
  const labelIds = [...new Set([...labels.values()].flat().map((l) => l.labelId))].filter(
    (id): id is number => id !== null,
  )
  const member = await store.memberships(
    db,
    chunk.map((h) => h.id),
    labelIds,
  )
  const current = await store.hostProfileStates(
    db,
    chunk.map((h) => h.uuid),
  )
  const forget: { hostUuid: string; profileUuid: string }[] = []
  for (const host of chunk) {
    const scoped = {
      labelIds: member.get(host.id) ?? new Set<number>(),
      labelUpdatedAt: host.labelUpdatedAt,
    }
    const wanted: DeliverableProfile[] = []
    const keep = new Set<string>()
    for (const p of profiles) {
      const scope = scopeFor(labels.get(p.uuid) ?? [], scoped)
      if (scope === 'broken' || scope === 'waiting') {
        keep.add(p.uuid)
      } else if (scope === 'applies' && p.teamKey === host.teamKey) {
        wanted.push(p)
      }
    }
    const plan = planHost(wanted, keep, current.get(host.uuid) ?? [])
    for (const p of plan.install) {
      const batch = batches.install.get(p.uuid) ?? installBatch(p)
      batches.install.set(p.uuid, batch)
      batch.enrollmentIds.push(host.enrollmentId)
      batch.rows.push({
        ...rowOf(host, p),
        commandUuid: batch.command.commandUuid,
        operation: 'install',
      })
    }
    for (const row of plan.remove) {
      const batch = batches.remove.get(row.profileUuid) ?? removeBatch(row.identifier)
      batches.remove.set(row.profileUuid, batch)
      batch.enrollmentIds.push(host.enrollmentId)
      batch.rows.push({ ...removalOf(host, row), commandUuid: batch.command.commandUuid })
    }
    forget.push(...plan.forget.map((r) => ({ hostUuid: host.uuid, profileUuid: r.profileUuid })))
  }
  return forget
}

function rowOf(host: EnrolledHost, p: DeliverableProfile) {
  return {
    hostUuid: host.uuid,
    profileUuid: p.uuid,
    identifier: p.identifier,
    name: p.name,
    checksum: p.checksum,
  }
}

function removalOf(host: EnrolledHost, row: HostProfileState): Omit<PendingRow, 'commandUuid'> {
  return {
    hostUuid: host.uuid,
    profileUuid: row.profileUuid,
    identifier: row.identifier,
    name: row.name,
    checksum: row.checksum,
    operation: 'remove',
  }
}

/**
 * Queues each batch's command (no push yet) and writes its rows pending. A command whose
 * enrollments vanished meanwhile is skipped: its hosts are planned again next run.
 */
async function send(deps: ReconcileDeps, db: Db, batches: readonly Batch[], now: number) {
  const queued = new Set<string>()
  for (const batch of batches) {
    try {
      await deps.queue.enqueue(batch.enrollmentIds, batch.command, { push: false })
    } catch (err) {
      deps.log.warn(
        { err, requestType: batch.command.requestType, hosts: batch.enrollmentIds.length },
        'MDM profile command not queued; its hosts are planned again next run',
      )
      continue
    }
    await store.writePending(db, batch.rows, now)
    for (const id of batch.enrollmentIds) {
      queued.add(id)
    }
  }
  return queued
}

/**
 * One reconcile run over every MDM-enrolled host, in chunks of HOST_CHUNK: desired profiles
 * (team + label scoping) vs the host rows → one InstallProfile per profile (its bytes as
 * Payload) and one RemoveProfile per identifier, each for all the hosts that need it; rows
 * written pending with their command; one push per host at the end. Nothing written when
 * nothing changed. `db` may count statements (the caller's plugin).
 */
export async function reconcile(
  deps: ReconcileDeps,
  db: Db,
): Promise<{ stats: ReconcileStats; queued: Set<string> }> {
  const now = deps.clock.now().getTime()
  const { profiles, labels } = await store.deliverableProfiles(db)
  const batches = { install: new Map<string, Batch>(), remove: new Map<string, Batch>() }
  const forget: { hostUuid: string; profileUuid: string }[] = []
  let hosts = 0
  for (let after = 0; ;) {
    const chunk = await store.enrolledHosts(db, after, HOST_CHUNK)
    if (chunk.length === 0) {
      break
    }
    hosts += chunk.length
    after = chunk.reduce((max, h) => Math.max(max, h.id), after)
    forget.push(...(await planChunk(db, chunk, profiles, labels, batches)))
    if (chunk.length < HOST_CHUNK) {
      break
    }
  }
  const all = [...batches.install.values(), ...batches.remove.values()]
  const queued = await send(deps, db, all, now)
  if (forget.length > 0) {
    await store.deleteRows(db, forget)
  }
  const count = (m: Map<string, Batch>) => [...m.values()].reduce((n, b) => n + b.rows.length, 0)
  return {
    stats: {
      hosts,
      installs: count(batches.install),
      removes: count(batches.remove),
      forgotten: forget.length,
      commands: all.length,
    },
    queued,
  }
}
