import { parse } from 'plist'
import { expect } from 'vitest'
import type { CommandQueue, PlistDict } from '../features/mdm-commands/index.js'
import type { Dialect } from '../platform/db/index.js'
import { startFakeApns, type FakeApns } from './fake-apns.js'
import { fakeApnsQueue } from './fake-apns-queue.js'
import { enableAppleMdm, TEST_SERVER_PRIVATE_KEY } from './mdm-kit.js'
import { scepIdentity, TestMdmDevice } from './mdm-device.js'
import { fixture, profilesClient } from './mdm-profiles-kit.js'
import { startTestServer, type TestServer } from './test-server.js'

/** A test server with Apple MDM on, a fake APNs and a queue that pushes to it. */
export interface DdmTestbed {
  t: TestServer
  admin: string
  apns: FakeApns
  /** Same database as the server; pushes go to the fake APNs (the server's go to Apple). */
  queue: CommandQueue
  profiles: ReturnType<typeof profilesClient>
  newDevice(): Promise<TestMdmDevice>
  close(): Promise<void>
}

export async function startDdmTestbed(dialect: Dialect): Promise<DdmTestbed> {
  const apns = await startFakeApns()
  const t = await startTestServer(dialect, {
    flags: { 'server.private_key': TEST_SERVER_PRIVATE_KEY, 'mdm.apple_apns_url': apns.url },
  })
  const admin = await t.setupAdmin()
  const { challenge, topic } = await enableAppleMdm(t, admin)
  const { queue, connections } = await fakeApnsQueue(t, apns, topic)
  return {
    t,
    admin,
    apns,
    queue,
    profiles: profilesClient(
      () => t,
      () => admin,
    ),
    newDevice: async () => {
      const device = new TestMdmDevice(t, await scepIdentity(t, challenge), topic)
      expect((await device.authenticate()).statusCode).toBe(200)
      expect((await device.tokenUpdate()).statusCode).toBe(200)
      return device
    },
    close: async () => {
      await connections.closeAll()
      await apns.close()
      await t.close()
    },
  }
}

/** A DeclarativeManagement check-in; `data` becomes the plist's `Data`. */
export async function ddm(device: TestMdmDevice, endpoint: string, data?: unknown) {
  const extra: PlistDict =
    data === undefined
      ? {}
      : { Data: Buffer.isBuffer(data) ? data : Buffer.from(JSON.stringify(data)) }
  return device.checkin('DeclarativeManagement', { Endpoint: endpoint, ...extra })
}

/** A DDM endpoint's JSON answer, asserting 200. */
export async function ddmJson(
  device: TestMdmDevice,
  endpoint: string,
  data?: unknown,
): Promise<Record<string, unknown>> {
  const res = await ddm(device, endpoint, data)
  expect(res.statusCode, res.body).toBe(200)
  return JSON.parse(res.body) as Record<string, unknown>
}

/** A status report naming configurations by identifier and server-token. */
export function statusReport(
  configurations: Record<string, unknown>[],
  fullReport = false,
): Record<string, unknown> {
  return {
    StatusItems: {
      management: {
        declarations: { activations: [], configurations, assets: [], management: [] },
      },
    },
    Errors: [],
    FullReport: fullReport,
  }
}

/** The RequestType and CommandUUID of the command a ServerURL answer carries. */
export function commandIn(body: string): { uuid: string; requestType: string } | undefined {
  if (body === '') {
    return undefined
  }
  const plist = parse(body) as { CommandUUID: string; Command: { RequestType: string } }
  return { uuid: plist.CommandUUID, requestType: plist.Command.RequestType }
}

/** The host's declaration rows, by declaration identifier. */
export async function hostRows(t: TestServer, hostUuid: string) {
  const rows = await t.database.db
    .selectFrom('host_mdm_apple_declarations')
    .selectAll()
    .where('host_uuid', '=', hostUuid)
    .orderBy('declaration_identifier')
    .execute()
  return rows.map((r) => ({
    uuid: r.declaration_uuid,
    identifier: r.declaration_identifier,
    status: r.status,
    operation: r.operation_type,
    detail: r.detail,
    token: r.token,
    resync: Number(r.resync),
  }))
}

/** Uploads a fixture declaration (no team) and returns its uuid. */
export async function uploadDeclaration(
  bed: DdmTestbed,
  filename: string,
  contents = fixture(filename),
  extra: Parameters<DdmTestbed['profiles']['upload']>[2] = [],
): Promise<string> {
  const res = await bed.profiles.upload(filename, contents, extra)
  expect(res.statusCode, res.body).toBe(200)
  return String(res.data().profile_uuid)
}
