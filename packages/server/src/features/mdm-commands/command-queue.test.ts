import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { build } from 'plist'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { chunked } from '../../platform/db/index.js'
import { silentLogger } from '../../platform/logger.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { encodeCommand, type PlistDict } from './command.js'
import { createCommandQueue, type CommandQueue } from './command-queue.js'
import { DEFAULT_DELIVERY_LEASE_MS } from './command-queue.service.js'
import { disableDevice, saveTokenUpdate } from './enrollments.service.js'
import { findEnrollment } from './enrollments.store.js'
import type { PushResult, Pusher } from './push.js'
import { findResult } from './queue.store.js'
import { createResultHandlers, type CommandResultEvent } from './result-handlers.js'

const FIXTURES = new URL('../../../../../../shared/fixtures/mdm/', import.meta.url)

/** A pusher that records what it was asked to push. */
function recordingPusher(): Pusher & { calls: string[][] } {
  const calls: string[][] = []
  return {
    calls,
    push: (ids) => {
      calls.push([...ids])
      return Promise.resolve(
        ids.map((id): PushResult => ({ enrollmentId: id, outcome: 'sent', apnsId: 'x' })),
      )
    },
  }
}

function reportPlist(values: PlistDict): string {
  return build(values)
}

describe.each(DIALECTS)('MDM command queue [%s]', (dialect) => {
  let t: TestDatabase
  let time = Date.UTC(2026, 11, 7, 12)
  const clock = { now: () => new Date(time) }
  let pusher: ReturnType<typeof recordingPusher>
  let queue: CommandQueue

  beforeAll(async () => {
    t = await createTestDatabase(dialect)
  })
  afterAll(() => t.drop())
  beforeEach(() => {
    pusher = recordingPusher()
    queue = createCommandQueue({
      db: t.db,
      clock,
      log: silentLogger(),
      handlers: createResultHandlers(),
      pusher,
    })
  })

  /** A device channel enrolled through TokenUpdate; returns its id. */
  async function enroll(deviceId = randomUUID().toUpperCase(), userId?: string): Promise<string> {
    const id = userId ? `${deviceId}:${userId}` : deviceId
    await saveTokenUpdate(
      t.db,
      {
        id,
        deviceId,
        userId: userId ?? null,
        type: userId ? 'User' : 'Device',
        topic: 'com.apple.mgmt.External.test',
        pushMagic: `magic-${id}`,
        tokenHex: 'ab'.repeat(32),
      },
      time,
    )
    return id
  }

  const idle = (udid: string) => reportPlist({ Status: 'Idle', UDID: udid })
  const answer = (udid: string, status: string, uuid: string, extra: PlistDict = {}) =>
    reportPlist({ Status: status, UDID: udid, CommandUUID: uuid, ...extra })

  it('runs the reference sequence: ack, NotNow skipped in the burst, re-offered on Idle, Error kept', async () => {
    const dev = await enroll()
    const cmd1 = encodeCommand(randomUUID(), 'DeviceInformation', { Queries: ['UDID'] })
    const cmd2 = encodeCommand(randomUUID(), 'ProfileList')
    await queue.enqueue([dev], cmd1)
    time += 1
    await queue.enqueue([dev], cmd2)
    expect(pusher.calls).toEqual([[dev], [dev]])

    expect(await queue.reportAndNext(dev, idle(dev))).toEqual({
      commandUuid: cmd1.commandUuid,
      plist: cmd1.plist,
    })
    const ack = answer(dev, 'Acknowledged', cmd1.commandUuid)
    expect((await queue.reportAndNext(dev, ack))?.commandUuid).toBe(cmd2.commandUuid)
    expect(await queue.reportAndNext(dev, answer(dev, 'NotNow', cmd2.commandUuid))).toBeUndefined()
    const notNow = await findResult(t.db, dev, cmd2.commandUuid)
    expect(notNow).toMatchObject({ status: 'NotNow', notNowAt: time, notNowTally: 1 })

    time += 60_000
    expect((await queue.reportAndNext(dev, idle(dev)))?.commandUuid).toBe(cmd2.commandUuid)
    const chain = [
      {
        ErrorCode: 12,
        ErrorDomain: 'MDMErrorDomain',
        LocalizedDescription: 'nope',
        USEnglishDescription: 'nope',
      },
    ]
    const error = answer(dev, 'Error', cmd2.commandUuid, { ErrorChain: chain })
    expect(await queue.reportAndNext(dev, error)).toBeUndefined()
    expect(await queue.reportAndNext(dev, idle(dev))).toBeUndefined()

    expect(await findResult(t.db, dev, cmd1.commandUuid)).toMatchObject({
      status: 'Acknowledged',
      result: ack,
    })
    const stored = await findResult(t.db, dev, cmd2.commandUuid)
    // the first NotNow's time and count stay with the final answer
    expect(stored).toMatchObject({ status: 'Error', result: error, notNowTally: 1 })
    expect(stored?.result).toContain('MDMErrorDomain')
    expect((await findEnrollment(t.db, dev))?.lastSeenAt).toBe(time)
  })

  it('counts every NotNow and keeps the first one’s time', async () => {
    const dev = await enroll()
    const cmd = encodeCommand(randomUUID(), 'InstalledApplicationList')
    await queue.enqueue([dev], cmd, { push: false })
    const first = time
    for (let i = 0; i < 3; i++) {
      expect((await queue.reportAndNext(dev, idle(dev)))?.commandUuid).toBe(cmd.commandUuid)
      await queue.reportAndNext(dev, answer(dev, 'NotNow', cmd.commandUuid))
      time += 1000
    }
    expect(await findResult(t.db, dev, cmd.commandUuid)).toMatchObject({
      notNowAt: first,
      notNowTally: 3,
    })
    expect(pusher.calls).toEqual([])
  })

  it('orders by priority, then by queue order', async () => {
    const dev = await enroll()
    const low = encodeCommand(randomUUID(), 'A')
    const high = encodeCommand(randomUUID(), 'B')
    const low2 = encodeCommand(randomUUID(), 'C')
    await queue.enqueue([dev], low, { push: false })
    await queue.enqueue([dev], high, { push: false, priority: 10 })
    await queue.enqueue([dev], low2, { push: false }) // same millisecond as `low`
    const order: string[] = []
    let next = await queue.reportAndNext(dev, idle(dev))
    while (next) {
      order.push(next.commandUuid)
      next = await queue.reportAndNext(dev, answer(dev, 'Acknowledged', next.commandUuid))
    }
    expect(order).toEqual([high.commandUuid, low.commandUuid, low2.commandUuid])
  })

  it('on re-Authenticate inactivates unanswered and NotNow rows of every channel, keeps answers', async () => {
    const deviceId = randomUUID().toUpperCase()
    const dev = await enroll(deviceId)
    const user = await enroll(deviceId, 'USER-1')
    const other = await enroll()
    const done = encodeCommand(randomUUID(), 'A')
    const later = encodeCommand(randomUUID(), 'B')
    const busy = encodeCommand(randomUUID(), 'C')
    await queue.enqueue([dev, user, other], done, { push: false })
    await queue.enqueue([dev, user, other], later, { push: false })
    await queue.enqueue([dev], busy, { push: false })
    await queue.reportAndNext(dev, idle(dev))
    await queue.reportAndNext(dev, answer(dev, 'Acknowledged', done.commandUuid))
    await queue.reportAndNext(dev, answer(dev, 'NotNow', later.commandUuid))

    const cleared = await queue.clearQueue(t.db, deviceId)
    expect(cleared).toBe(4) // dev: later (NotNow), busy; user: done, later
    time += 60_000
    expect(await queue.reportAndNext(dev, idle(dev))).toBeUndefined()
    expect(await queue.reportAndNext(user, idle(user))).toBeUndefined()
    expect((await queue.reportAndNext(other, idle(other)))?.commandUuid).toBe(done.commandUuid)
    expect((await findResult(t.db, dev, done.commandUuid))?.status).toBe('Acknowledged')
  })

  it('hands a command to one of two concurrent requests, and again once its lease ran out', async () => {
    const dev = await enroll()
    const cmd = encodeCommand(randomUUID(), 'DeviceInformation')
    await queue.enqueue([dev], cmd, { push: false })
    const both = await Promise.all([
      queue.reportAndNext(dev, idle(dev)),
      queue.reportAndNext(dev, idle(dev)),
    ])
    expect(both.filter((n) => n?.commandUuid === cmd.commandUuid)).toHaveLength(1)
    expect(both.filter((n) => n === undefined)).toHaveLength(1)
    time += DEFAULT_DELIVERY_LEASE_MS
    expect((await queue.reportAndNext(dev, idle(dev)))?.commandUuid).toBe(cmd.commandUuid)
    const acks = await Promise.all([
      queue.reportAndNext(dev, answer(dev, 'Acknowledged', cmd.commandUuid)),
      queue.reportAndNext(dev, answer(dev, 'Acknowledged', cmd.commandUuid)),
    ])
    expect(acks).toEqual([undefined, undefined])
  })

  it('stores the DeviceInformation fixture as the result and hands it to the RequestType’s handler', async () => {
    const raw = readFileSync(new URL('DeviceInformation.1.plist', FIXTURES), 'utf8')
    const udid = '66ADE930-5FDF-5EC4-8429-15640684C489'
    const uuid = '76eda240-5488-4989-8339-f2ae160113c4'
    await enroll(udid)
    const seen: CommandResultEvent[] = []
    queue.handlers.register('DeviceInformation', async (event) => void seen.push(event))
    queue.handlers.register('ProfileList', () => Promise.reject(new Error('not this one')))
    await queue.enqueue([udid], encodeCommand(uuid, 'DeviceInformation', { Queries: ['HostName'] }))
    expect(await queue.reportAndNext(udid, raw)).toBeUndefined()
    expect((await findResult(t.db, udid, uuid))?.result).toBe(raw)
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({
      enrollmentId: udid,
      deviceId: udid,
      commandUuid: uuid,
      requestType: 'DeviceInformation',
    })
    expect(seen[0]?.report.values.QueryResponses).toMatchObject({ HostName: 'fruit.example.com' })
  })

  it('rolls the result back when a handler fails, so the device can report it again', async () => {
    const dev = await enroll()
    const cmd = encodeCommand(randomUUID(), 'InstallProfile')
    queue.handlers.register('InstallProfile', () => Promise.reject(new Error('profile store down')))
    await queue.enqueue([dev], cmd, { push: false })
    await expect(
      queue.reportAndNext(dev, answer(dev, 'Acknowledged', cmd.commandUuid)),
    ).rejects.toThrow(/store down/)
    expect(await findResult(t.db, dev, cmd.commandUuid)).toBeUndefined()
  })

  it('refuses reports for commands never queued for the enrollment, and unknown enrollments', async () => {
    const dev = await enroll()
    const other = await enroll()
    const cmd = encodeCommand(randomUUID(), 'A')
    await queue.enqueue([other], cmd, { push: false })
    await expect(
      queue.reportAndNext(dev, answer(dev, 'Acknowledged', cmd.commandUuid)),
    ).rejects.toMatchObject({ kind: 'invalid' })
    await expect(
      queue.reportAndNext(dev, answer(dev, 'Acknowledged', randomUUID())),
    ).rejects.toMatchObject({ kind: 'invalid' })
    expect(await findResult(t.db, dev, cmd.commandUuid)).toBeUndefined()
    await expect(queue.reportAndNext('NOPE', idle('NOPE'))).rejects.toMatchObject({
      kind: 'not_found',
    })
    await expect(queue.reportAndNext(dev, '<plist><dict>')).rejects.toMatchObject({
      kind: 'invalid',
    })
  })

  it('refuses to queue for unknown enrollments, a reused uuid or a non-plist, storing nothing', async () => {
    const dev = await enroll()
    const cmd = encodeCommand(randomUUID(), 'A')
    await expect(queue.enqueue([dev, 'NOPE'], cmd)).rejects.toMatchObject({
      kind: 'not_found',
      details: [{ name: 'base', reason: 'MDM enrollment NOPE was not found' }],
    })
    await expect(queue.enqueue([], cmd)).rejects.toMatchObject({ kind: 'invalid' })
    expect(await queue.reportAndNext(dev, idle(dev))).toBeUndefined()
    await queue.enqueue([dev], cmd, { push: false })
    await expect(queue.enqueue([dev], cmd)).rejects.toMatchObject({ kind: 'invalid' })
    await expect(queue.enqueue([dev], '<plist/>')).rejects.toMatchObject({ kind: 'invalid' })
    expect(pusher.calls).toEqual([])
  })

  it('queues one command for 7,000 enrollments (more rows than one statement may bind)', async () => {
    const ids = Array.from({ length: 7000 }, (_, i) => `BULK-${i}`)
    for (const chunk of chunked(ids, 500)) {
      await t.db
        .insertInto('mdm_enrollments')
        .values(
          chunk.map((id) => ({
            id,
            device_id: id,
            user_id: null,
            type: 'Device',
            last_seen_at: null,
            last_push_at: null,
            last_push_error: null,
            created_at: time,
            updated_at: time,
          })),
        )
        .execute()
    }
    const cmd = encodeCommand(randomUUID(), 'ProfileList')
    await queue.enqueue(ids, cmd)
    expect(pusher.calls).toEqual([ids])
    for (const id of [ids[0] ?? '', ids[6999] ?? '']) {
      expect((await queue.reportAndNext(id, idle(id)))?.commandUuid).toBe(cmd.commandUuid)
    }
  })

  it('enables on TokenUpdate (first one reported), disables on Authenticate/CheckOut', async () => {
    const deviceId = randomUUID().toUpperCase()
    const row = {
      id: deviceId,
      deviceId,
      userId: null,
      type: 'Device' as const,
      topic: 't',
      pushMagic: 'm',
      tokenHex: 'aa',
    }
    expect(await saveTokenUpdate(t.db, row, time)).toEqual({ first: true })
    await disableDevice(t.db, deviceId, time)
    expect((await findEnrollment(t.db, deviceId))?.enabled).toBe(false)
    expect(await saveTokenUpdate(t.db, { ...row, tokenHex: 'bb' }, time)).toEqual({ first: false })
    expect(await findEnrollment(t.db, deviceId)).toMatchObject({
      enabled: true,
      tokenHex: 'bb',
      tokenUpdateTally: 2,
    })
  })
})
