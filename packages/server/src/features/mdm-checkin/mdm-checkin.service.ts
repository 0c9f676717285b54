import { build } from 'plist'
import type { Deps } from '../../deps.js'
import { NotFoundError } from '../../platform/errors/index.js'
import { transactionWithRetry } from '../../platform/db/index.js'
import type { Log } from '../../platform/logger.js'
import { recordActivity } from '../activities/index.js'
import {
  disableDevice,
  parseCommandReport,
  saveTokenUpdate,
  type CommandQueue,
} from '../mdm-commands/index.js'
import type { AppleMdm } from '../mdm-setup/index.js'
import { decodeCheckin, resolveEnrollment, type CheckinMessage } from './checkin-message.js'
import type { DeclarativeHook } from './declarative-hook.js'
import { refused, verifyDeviceIdentity, type DeviceIdentity } from './device-identity.js'
import { getTokenRefusal, isKnownTokenService } from './get-token.js'
import { matchDeviceToHost } from './host-matching.js'
import * as store from './mdm-checkin.store.js'

export interface CheckinDeps {
  deps: Pick<Deps, 'db' | 'clock'>
  mdm: AppleMdm
  queue: CommandQueue
  declarative: DeclarativeHook
}

/** What the endpoint answers a device: a body (plist or JSON) or a bare status. */
export type DeviceReply = { status: 200; body?: string; contentType?: string } | { status: 410 }

/** One device request as received: the exact body bytes and the signature header. */
export interface DeviceRequest {
  body: Buffer
  signature: string | undefined
  log: Log
}

async function identify(s: CheckinDeps, request: DeviceRequest): Promise<DeviceIdentity> {
  const { ca } = await s.mdm.current()
  if (!ca) {
    throw refused('Apple MDM is not set up')
  }
  return verifyDeviceIdentity(request.signature, request.body, ca, s.deps.clock.now())
}

/** nanomdm's certauth for every message but Authenticate: the device must be bound to the cert. */
async function requireBoundCert(s: CheckinDeps, deviceId: string, identity: DeviceIdentity) {
  const device = await store.findAppleDevice(s.deps.db, deviceId)
  if (!device || device.certSha256 !== identity.sha256) {
    throw refused('enrollment not associated with cert')
  }
  return device
}

/**
 * An enrolled device whose host was deleted (`host_id` cleared by HOST_DELETION) becomes a host
 * again on its next message, as Fleet's deleted hosts re-appear: deleting a host does not
 * unenroll it. Costs nothing for devices that have their host (the row is already read).
 */
async function reattachHost(s: CheckinDeps, device: store.AppleDevice, log: Log): Promise<void> {
  if (device.enrolledAt === null || device.hostId !== null) {
    return
  }
  const now = s.deps.clock.now().getTime()
  const hostId = await transactionWithRetry(s.deps.db, async (trx) => {
    const id = await matchDeviceToHost(trx, device, now)
    await store.updateAppleDevice(trx, device.id, { host_id: id }, now)
    return id
  })
  log.info({ deviceId: device.id, hostId }, 'MDM device re-attached to a host after deletion')
}

function hostDisplayName(device: store.AppleDevice): string {
  return device.deviceName || device.serialNumber || device.id
}

async function authenticate(
  s: CheckinDeps,
  msg: Extract<CheckinMessage, { type: 'Authenticate' }>,
  identity: DeviceIdentity,
): Promise<DeviceReply> {
  const { deviceId } = msg.enrollment
  const now = s.deps.clock.now().getTime()
  await transactionWithRetry(s.deps.db, async (trx) => {
    if (await store.findOtherDeviceWithCert(trx, identity.sha256, deviceId)) {
      throw refused('cert re-use not permitted')
    }
    await store.upsertAuthenticatedDevice(
      trx,
      { id: deviceId, certSha256: identity.sha256, ...msg.device },
      now,
    )
    // A new Authenticate starts a new enrollment: its first TokenUpdate is "enrolled" again.
    await store.updateAppleDevice(trx, deviceId, { enrolled_at: null }, now)
    await s.queue.clearQueue(trx, deviceId)
    await disableDevice(trx, deviceId, now)
  })
  return { status: 200 }
}

async function tokenUpdate(
  s: CheckinDeps,
  msg: Extract<CheckinMessage, { type: 'TokenUpdate' }>,
  device: store.AppleDevice,
): Promise<DeviceReply> {
  const now = s.deps.clock.now().getTime()
  const { enrollment } = msg
  await transactionWithRetry(s.deps.db, async (trx) => {
    await saveTokenUpdate(
      trx,
      { ...enrollment, topic: msg.topic, pushMagic: msg.pushMagic, tokenHex: msg.tokenHex },
      now,
    )
    if (enrollment.userId !== null) {
      return
    }
    await store.updateAppleDevice(
      trx,
      device.id,
      { awaiting_configuration: msg.awaitingConfiguration ? 1 : 0 },
      now,
    )
    if (device.enrolledAt !== null) {
      return
    }
    const hostId = await matchDeviceToHost(trx, device, now)
    await store.updateAppleDevice(
      trx,
      device.id,
      { enrolled_at: now, checked_out_at: null, host_id: hostId },
      now,
    )
    await recordActivity(
      trx,
      s.deps.clock,
      {},
      {
        type: 'mdm_enrolled',
        details: {
          host_serial: device.serialNumber,
          host_display_name: hostDisplayName(device),
          installed_from_dep: false,
          mdm_platform: 'apple',
        },
      },
    )
  })
  return { status: 200 }
}

async function checkOut(
  s: CheckinDeps,
  msg: CheckinMessage,
  device: store.AppleDevice,
): Promise<DeviceReply> {
  const now = s.deps.clock.now().getTime()
  await transactionWithRetry(s.deps.db, async (trx) => {
    await disableDevice(trx, msg.enrollment.deviceId, now)
    await store.updateAppleDevice(trx, device.id, { checked_out_at: now, enrolled_at: null }, now)
    await recordActivity(
      trx,
      s.deps.clock,
      {},
      {
        type: 'mdm_unenrolled',
        details: {
          host_serial: device.serialNumber,
          host_display_name: hostDisplayName(device),
          installed_from_dep: false,
        },
      },
    )
  })
  return { status: 200 }
}

async function declarativeManagement(
  s: CheckinDeps,
  msg: Extract<CheckinMessage, { type: 'DeclarativeManagement' }>,
  log: Log,
): Promise<DeviceReply> {
  const handler = s.declarative.get()
  if (!handler) {
    log.warn(
      { enrollmentId: msg.enrollment.id, endpoint: msg.endpoint },
      'DDM request refused: no DDM feature in this server',
    )
    throw refused('DDM not available yet')
  }
  const reply = await handler({
    enrollment: msg.enrollment,
    endpoint: msg.endpoint,
    data: msg.data,
    db: s.deps.db,
  })
  if (reply.status === 404) {
    // An unknown declaration: 404 as Apple's protocol says (never 401).
    throw new NotFoundError('declaration', undefined, reply.reason)
  }
  if (reply.status !== 200) {
    throw refused(reply.reason)
  }
  return { status: 200, body: JSON.stringify(reply.json), contentType: 'application/json' }
}

/** Everything after Authenticate, once the device's certificate binding is checked. */
async function boundMessage(
  s: CheckinDeps,
  msg: Exclude<CheckinMessage, { type: 'Authenticate' }>,
  device: store.AppleDevice,
  log: Log,
): Promise<DeviceReply> {
  const now = s.deps.clock.now().getTime()
  switch (msg.type) {
    case 'TokenUpdate':
      return tokenUpdate(s, msg, device)
    case 'CheckOut':
      return checkOut(s, msg, device)
    case 'UserAuthenticate':
      // No user channel (nanomdm's default): 410 tells the device not to ask again.
      return { status: 410 }
    case 'SetBootstrapToken':
      await store.updateAppleDevice(
        s.deps.db,
        device.id,
        { bootstrap_token: msg.bootstrapToken },
        now,
      )
      return { status: 200 }
    case 'GetBootstrapToken':
      return device.bootstrapToken
        ? {
            status: 200,
            body: build({ BootstrapToken: Buffer.from(device.bootstrapToken, 'base64') }),
            contentType: 'application/xml',
          }
        : { status: 200 }
    case 'DeclarativeManagement':
      return declarativeManagement(s, msg, log)
    case 'GetToken':
      log.info(
        {
          enrollmentId: msg.enrollment.id,
          tokenServiceType: msg.serviceType.slice(0, 64),
          known: isKnownTokenService(msg.serviceType),
        },
        'MDM GetToken refused',
      )
      throw getTokenRefusal(msg.serviceType)
  }
}

/** A check-in (CheckInURL = ServerURL here): verify, decode, bind, dispatch by MessageType. */
export async function checkin(s: CheckinDeps, request: DeviceRequest): Promise<DeviceReply> {
  const identity = await identify(s, request)
  const msg = decodeCheckin(request.body.toString('utf8'))
  request.log.debug({ messageType: msg.type, enrollmentId: msg.enrollment.id }, 'MDM check-in')
  if (msg.type === 'Authenticate') {
    return authenticate(s, msg, identity)
  }
  const device = await requireBoundCert(s, msg.enrollment.deviceId, identity)
  if (msg.type !== 'CheckOut') {
    await reattachHost(s, device, request.log)
  }
  return boundMessage(s, msg, device, request.log)
}

/** A command report to the ServerURL: store it, answer the next command or an empty body. */
export async function commandReport(s: CheckinDeps, request: DeviceRequest): Promise<DeviceReply> {
  const identity = await identify(s, request)
  const report = parseCommandReport(request.body.toString('utf8'))
  const enrollment = resolveEnrollment(report.values)
  await reattachHost(s, await requireBoundCert(s, enrollment.deviceId, identity), request.log)
  try {
    const next = await s.queue.reportAndNext(enrollment.id, report)
    return next
      ? { status: 200, body: next.plist, contentType: 'application/xml' }
      : { status: 200 }
  } catch (err) {
    if (err instanceof NotFoundError) {
      throw refused('enrollment not found: send TokenUpdate first')
    }
    throw err
  }
}
