import { randomBytes, randomUUID } from 'node:crypto'
import { build } from 'plist'
import type { PlistDict } from '../features/mdm-commands/index.js'
import { signCms } from '../platform/pki/cms-sign.js'
import { importRsaSigningKey } from '../platform/pki/x509.js'
import type { Dialect } from '../platform/db/index.js'
import type { Logger } from '../platform/logger.js'
import { enableAppleMdm, injectScep, TEST_SERVER_PRIVATE_KEY } from './mdm-kit.js'
import { scepEnroll } from './scep-client.js'
import { startTestServer, type TestServer } from './test-server.js'

export const CHECKIN_TYPE = 'application/x-apple-aspen-mdm-checkin'

/** A device identity: an identity certificate (DER) and its key. */
export interface TestIdentity {
  certDer: Buffer
  keyPem: string
}

/** An identity certificate from the test server's SCEP CA. */
export async function scepIdentity(t: TestServer, challenge: string): Promise<TestIdentity> {
  const result = await scepEnroll(injectScep(t), { challenge })
  if ('statusCode' in result || !result.certificate) {
    throw new Error('SCEP enrollment failed')
  }
  return { certDer: Buffer.from(result.certificate.rawData), keyPem: result.keyPem }
}

/** `Mdm-Signature` for `body`: base64 of a detached CMS SignedData by `identity`. */
export async function mdmSignature(identity: TestIdentity, body: Buffer): Promise<string> {
  const der = await signCms({
    content: body,
    detached: true,
    signerCertDer: identity.certDer,
    signerKey: await importRsaSigningKey(identity.keyPem),
  })
  return der.toString('base64')
}

export interface MdmResponse {
  statusCode: number
  body: string
}

/** A device talking to the test server's ServerURL (in-process), signing every request. */
export class TestMdmDevice {
  readonly udid = randomUUID().toUpperCase()
  readonly serial = randomBytes(6).toString('hex').toUpperCase()
  readonly token = randomBytes(32)
  readonly pushMagic = randomUUID().toUpperCase()

  constructor(
    private readonly t: TestServer,
    public identity: TestIdentity,
    readonly topic: string,
  ) {}

  /** Sends a plist (as is, or built from `values`) with the signature of `signer`. */
  async send(
    values: PlistDict | string,
    options: { checkin?: boolean; signer?: TestIdentity | null; signedBody?: Buffer } = {},
  ): Promise<MdmResponse> {
    const body = Buffer.from(typeof values === 'string' ? values : build(values))
    const signer = options.signer === undefined ? this.identity : options.signer
    const headers: Record<string, string> = {
      'content-type': options.checkin === false ? 'application/x-apple-aspen-mdm' : CHECKIN_TYPE,
    }
    if (signer) {
      headers['mdm-signature'] = await mdmSignature(signer, options.signedBody ?? body)
    }
    const res = await this.t.server.app.inject({
      method: 'PUT',
      url: '/mdm/apple/mdm',
      headers,
      payload: body,
    })
    return { statusCode: res.statusCode, body: res.body }
  }

  checkin(messageType: string, extra: PlistDict = {}, signer?: TestIdentity | null) {
    return this.send({ MessageType: messageType, UDID: this.udid, ...extra }, { signer })
  }

  authenticate(signer?: TestIdentity | null) {
    return this.checkin(
      'Authenticate',
      {
        Topic: this.topic,
        SerialNumber: this.serial,
        Model: 'MacBookPro16,1',
        ProductName: 'MacBookPro16,1',
        DeviceName: `Mac ${this.serial}`,
        OSVersion: '14.4.1',
      },
      signer,
    )
  }

  tokenUpdate(signer?: TestIdentity | null) {
    return this.checkin(
      'TokenUpdate',
      { Topic: this.topic, Token: this.token, PushMagic: this.pushMagic },
      signer,
    )
  }

  /** A command report (Idle, Acknowledged, …) to the ServerURL. */
  report(status: string, extra: PlistDict = {}) {
    return this.send({ UDID: this.udid, Status: status, ...extra }, { checkin: false })
  }
}

/** The test server with Apple MDM on: its admin's token, push topic and SCEP challenge. */
export interface MdmTestWorld {
  t: TestServer
  admin: string
  topic: string
  challenge: string
  /** A new device, authenticated and enrolled (first TokenUpdate), with its own identity. */
  enrolledDevice(): Promise<TestMdmDevice>
}

/** Starts a test server on `dialect` and turns Apple MDM on. The caller closes `t`. */
export async function startMdmWorld(
  dialect: Dialect,
  options: { log?: Logger } = {},
): Promise<MdmTestWorld> {
  const t = await startTestServer(dialect, {
    ...options,
    flags: { 'server.private_key': TEST_SERVER_PRIVATE_KEY },
  })
  const admin = await t.setupAdmin()
  const { topic, challenge } = await enableAppleMdm(t, admin)
  return {
    t,
    admin,
    topic,
    challenge,
    enrolledDevice: async () => {
      const device = new TestMdmDevice(t, await scepIdentity(t, challenge), topic)
      for (const res of [await device.authenticate(), await device.tokenUpdate()]) {
        if (res.statusCode !== 200) {
          throw new Error(`enrolling a test device failed: ${res.statusCode} ${res.body}`)
        }
      }
      return device
    },
  }
}
