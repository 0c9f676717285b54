import type { webcrypto } from 'node:crypto'
import { parsePlist } from '@fleet/api/plist'
import { build } from 'plist'
import { Agent, request, type Dispatcher } from 'undici'
import { createRng } from '../random.js'
import { DdmClient, type DdmSyncResult } from './ddm-client.js'
import {
  answerCommand,
  plistInside,
  type AnswerMode,
  type DeviceFacts,
  type PlistObject,
  type ProfileStore,
} from './device-answers.js'
import { signWith } from './scep-cms.js'
import { scepEnroll, undiciScepHttp, type ScepIdentity } from './scep-client.js'

const CHECKIN_TYPE = 'application/x-apple-aspen-mdm-checkin'

/** What the enrollment profile tells a device (PayloadContent[0] SCEP, [1] MDM). */
export interface EnrollmentInfo {
  scepUrl: string
  challenge: string
  serverUrl: string
  topic: string
}

export interface MdmAnswer {
  status: number
  body: string
}

export interface SimulatedAppleDeviceOptions {
  /** Fleet's URL, e.g. https://localhost:8412. */
  fleetUrl: string
  /** Token of `/api/mdm/apple/enroll` (an enroll secret here). */
  enrollToken: string
  /** Same seed, same UDID and serial. */
  seed: number
  /** PEM to trust for Fleet's TLS; without it any certificate is accepted. */
  ca?: string
  answerMode?: DeviceAnswerMode
  /** Report every DDM configuration invalid (the device cannot apply them). */
  failDeclarations?: boolean
  /** UDID and serial to use instead of seeded ones (a Mac that is also a simulated osquery host). */
  hardware?: { udid: string; serial: string }
  /** A connection pool shared with other devices (not closed by `close`). */
  dispatcher?: Dispatcher
  /** Where the identity's key pair comes from (default: a new one; see `KeyPool`). */
  keys?: () => Promise<webcrypto.CryptoKeyPair>
}

/**
 * How the device answers commands: an {@link AnswerMode} for every command, or `busy`: NotNow
 * the first time each command is offered, then Acknowledged when it comes back (a Mac that was
 * busy when pushed and answers at a later check-in).
 */
export type DeviceAnswerMode = AnswerMode | 'busy'

/** What one session (a push or a periodic check) did. */
export interface SessionResult {
  /** RequestTypes answered, in order. */
  handled: string[]
  /** The statuses sent, in order (Acknowledged, NotNow, Error…). */
  statuses: string[]
  /** The DDM sync a DeclarativeManagement command started, if any. */
  ddm?: DdmSyncResult
}

/** Reads the plist inside a signed `.mobileconfig` (SignedData around XML). */
export function readEnrollmentProfile(signed: Buffer): EnrollmentInfo {
  const profile = parsePlist(plistInside(signed) ?? '') as {
    PayloadContent: { PayloadContent?: PlistObject; ServerURL?: string; Topic?: string }[]
  }
  const scep = profile.PayloadContent[0]?.PayloadContent ?? {}
  const mdm = profile.PayloadContent[1] ?? {}
  return {
    scepUrl: String(scep.URL ?? ''),
    challenge: String(scep.Challenge ?? ''),
    serverUrl: String(mdm.ServerURL ?? ''),
    topic: String(mdm.Topic ?? ''),
  }
}

/**
 * A simulated Mac enrolled in Apple MDM the way a real one is: it downloads the enrollment
 * profile, gets its identity certificate over SCEP, signs every request with `Mdm-Signature`
 * (detached CMS over the exact body), sends Authenticate and TokenUpdate, and on a push or a
 * poll sends Idle and answers each command until the server has none left.
 */
export class SimulatedAppleDevice {
  readonly facts: DeviceFacts
  readonly pushMagic: string
  readonly token: Buffer
  answerMode: DeviceAnswerMode
  readonly profiles: ProfileStore = new Map()
  readonly ddm: DdmClient
  private identity: ScepIdentity | undefined
  private info: EnrollmentInfo | undefined
  private readonly dispatcher: Dispatcher
  private readonly ownDispatcher: Agent | undefined
  private tokenUpdated = false
  /** Commands a busy device has put off once (forgotten once answered). */
  private readonly putOff = new Set<string>()

  constructor(private readonly options: SimulatedAppleDeviceOptions) {
    const rng = createRng(options.seed)
    const udid = rng.hex(32).toUpperCase()
    const seeded = {
      udid: `${udid.slice(0, 8)}-${udid.slice(8, 12)}-${udid.slice(12, 16)}-${udid.slice(16, 20)}-${udid.slice(20)}`,
      serial: `C02${rng.hex(9).toUpperCase()}`,
    }
    this.facts = {
      ...(options.hardware ?? seeded),
      deviceName: `Simulated Mac ${options.seed}`,
      model: 'MacBookPro16,1',
      osVersion: '14.4.1',
      buildVersion: '23E224',
    }
    this.pushMagic = rng.hex(32).toUpperCase()
    this.token = Buffer.from(rng.hex(64), 'hex')
    this.answerMode = options.answerMode ?? 'acknowledge'
    this.ddm = new DdmClient(this.facts)
    this.ddm.failConfigurations = options.failDeclarations ?? false
    this.ownDispatcher = options.dispatcher
      ? undefined
      : new Agent({ connect: options.ca ? { ca: options.ca } : { rejectUnauthorized: false } })
    this.dispatcher = options.dispatcher ?? this.ownDispatcher ?? new Agent()
  }

  /** True once Authenticate and TokenUpdate were accepted (until CheckOut). */
  get enrolled(): boolean {
    return this.tokenUpdated
  }

  /** Profile, SCEP, Authenticate, TokenUpdate. Throws if the server refuses any step. */
  async enroll(): Promise<void> {
    const url = `${this.options.fleetUrl}/api/mdm/apple/enroll?token=${encodeURIComponent(this.options.enrollToken)}`
    const res = await request(url, { dispatcher: this.dispatcher })
    const body = Buffer.from(await res.body.arrayBuffer())
    if (res.statusCode !== 200) {
      throw new Error(`enrollment profile: HTTP ${res.statusCode}`)
    }
    this.info = readEnrollmentProfile(body)
    this.identity = await scepEnroll(undiciScepHttp(this.options.ca, this.dispatcher), {
      url: this.info.scepUrl,
      challenge: this.info.challenge,
      commonName: `fleet-simdevice-${this.facts.udid}`,
      ...(this.options.keys && { keys: await this.options.keys() }),
    })
    await this.expectOk(this.authenticate())
    await this.expectOk(this.tokenUpdate())
    this.tokenUpdated = true
  }

  authenticate(): Promise<MdmAnswer> {
    const f = this.facts
    return this.checkin('Authenticate', {
      Topic: this.topic(),
      SerialNumber: f.serial,
      Model: f.model,
      ModelName: 'MacBook Pro',
      ProductName: f.model,
      DeviceName: f.deviceName,
      OSVersion: f.osVersion,
      BuildVersion: f.buildVersion,
    })
  }

  tokenUpdate(): Promise<MdmAnswer> {
    return this.checkin('TokenUpdate', {
      Topic: this.topic(),
      Token: this.token,
      PushMagic: this.pushMagic,
      AwaitingConfiguration: false,
    })
  }

  async checkOut(): Promise<MdmAnswer> {
    const answer = await this.checkin('CheckOut', { Topic: this.topic() })
    this.tokenUpdated = this.tokenUpdated && answer.status !== 200
    return answer
  }

  checkin(messageType: string, keys: PlistObject = {}): Promise<MdmAnswer> {
    return this.send({ MessageType: messageType, UDID: this.facts.udid, ...keys }, CHECKIN_TYPE)
  }

  /** A DeclarativeManagement check-in (`Endpoint`, `Data` = JSON bytes); the answer is JSON. */
  declarativeManagement(endpoint: string, data?: Buffer): Promise<MdmAnswer> {
    return this.checkin('DeclarativeManagement', {
      Endpoint: endpoint,
      ...(data === undefined ? {} : { Data: data }),
    })
  }

  /**
   * What a push makes a device do: Idle, then answer each command the server hands out until it
   * answers with an empty body. Returns the RequestTypes handled, in order.
   */
  async poll(): Promise<string[]> {
    return (await this.session()).handled
  }

  /**
   * {@link poll} with what happened: each command answered and, when the device acknowledged a
   * DeclarativeManagement command, the DDM sync it ran afterwards (tokens from the command's
   * Data when it carried them).
   */
  async session(): Promise<SessionResult> {
    const result: SessionResult = { handled: [], statuses: [] }
    let ddmTokens: unknown
    let ddmRequested = false
    let answer = await this.expectOk(this.send({ UDID: this.facts.udid, Status: 'Idle' }))
    // A bound on the loop: a server that keeps re-offering must not hang the simulator.
    for (let i = 0; answer.body !== '' && i < 1000; i++) {
      const envelope = parsePlist(answer.body) as PlistObject
      const report = answerCommand(this.facts, envelope, this.modeFor(envelope), this.profiles)
      result.handled.push(String(report.RequestType))
      result.statuses.push(String(report.Status))
      if (report.RequestType === 'DeclarativeManagement' && report.Status === 'Acknowledged') {
        ddmRequested = true
        ddmTokens = commandTokens(envelope)
      }
      answer = await this.expectOk(this.send(report))
    }
    if (ddmRequested) {
      result.ddm = await this.ddm.sync(
        async (endpoint, data) => this.declarativeManagement(endpoint, data),
        ddmTokens,
      )
    }
    return result
  }

  /** POSTs a plist (PUT, as Apple devices do) to the ServerURL with its Mdm-Signature. */
  async send(
    values: PlistObject,
    contentType = 'application/x-apple-aspen-mdm',
  ): Promise<MdmAnswer> {
    if (!this.identity || !this.info) {
      throw new Error('the device is not enrolled')
    }
    const body = Buffer.from(build(values))
    const signature = await signWith(
      body,
      this.identity.certificateDer,
      this.identity.privateKey,
      [],
      { detached: true },
    )
    const res = await request(this.info.serverUrl, {
      method: 'PUT',
      dispatcher: this.dispatcher,
      headers: { 'content-type': contentType, 'mdm-signature': signature.toString('base64') },
      body,
    })
    return { status: res.statusCode, body: await res.body.text() }
  }

  async close(): Promise<void> {
    await this.ownDispatcher?.close()
  }

  private modeFor(envelope: PlistObject): AnswerMode {
    if (this.answerMode !== 'busy') {
      return this.answerMode
    }
    const uuid = String(envelope.CommandUUID ?? '')
    if (this.putOff.delete(uuid)) {
      return 'acknowledge'
    }
    this.putOff.add(uuid)
    return 'not-now'
  }

  private topic(): string {
    return this.info?.topic ?? ''
  }

  private async expectOk(pending: Promise<MdmAnswer>): Promise<MdmAnswer> {
    const answer = await pending
    if (answer.status !== 200) {
      throw new Error(`MDM server answered ${answer.status}: ${answer.body.slice(0, 200)}`)
    }
    return answer
  }
}

/** The SynchronizationTokens a DeclarativeManagement command may carry in `Data`, parsed. */
function commandTokens(envelope: PlistObject): unknown {
  const command = envelope.Command
  const data =
    typeof command === 'object' && command !== null && 'Data' in command ? command.Data : undefined
  if (!(data instanceof Uint8Array)) {
    return undefined
  }
  try {
    return JSON.parse(Buffer.from(data).toString('utf8')) as unknown
  } catch {
    return undefined
  }
}
