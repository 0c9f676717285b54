import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { ErrorCode, type AppleMdmInfo } from '@fleet/api'
import { createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import {
  createSelfSignedCa,
  generateRsaKeys,
  importRsaSigningKey,
  privateKeyPem,
  RSA_SHA256,
} from '../../platform/pki/x509.js'
import { publish } from '../../platform/pubsub/index.js'
import type { SecretBox } from '../../platform/secret-box.js'
import type { AppConfigService } from '../app-config/index.js'
import {
  checkPushCertificate,
  decimalSerial,
  missingPrivateKeyMessage,
  type MdmAssetName,
} from './apple-mdm-assets.js'
import { openAssets, sealAssets, type AppleMdmAssetSource } from './mdm-assets.js'
import { MDM_ASSETS_CHANGED } from './mdm-setup.channels.js'
import * as store from './mdm-setup.store.js'

export interface MdmSetupDeps {
  deps: Deps
  appConfig: AppConfigService
  box: SecretBox | undefined
  assets: AppleMdmAssetSource
}

/** Subject of the SCEP CA, as Fleet names its own. */
const SCEP_CA_NAME = 'CN=Fleet SCEP CA, O=Fleet, C=US'

function requireBox(box: SecretBox | undefined, action: string): SecretBox {
  if (!box) {
    throw new ConflictError(missingPrivateKeyMessage(action), ErrorCode.SERVER_PRIVATE_KEY_MISSING)
  }
  return box
}

/**
 * The SCEP CA, the SCEP challenge and the APNs key, generated the first time any set-up step
 * runs and kept afterwards (re-uploading a push certificate must not invalidate enrolled
 * devices' identity certificates).
 */
async function ensureBaseAssets(
  s: MdmSetupDeps,
  box: SecretBox,
): Promise<Map<MdmAssetName, string>> {
  const { db, clock } = s.deps
  const opened = await openAssets(db, box)
  const created = new Map<MdmAssetName, string>()
  if (!opened.has('ca_cert') || !opened.has('ca_key')) {
    const ca = await createSelfSignedCa({ name: SCEP_CA_NAME, years: 10, now: clock.now() })
    created.set('ca_cert', ca.certPem).set('ca_key', ca.keyPem)
  }
  if (!opened.has('scep_challenge')) {
    created.set('scep_challenge', randomBytes(24).toString('base64url'))
  }
  if (!opened.has('apns_key')) {
    created.set('apns_key', await privateKeyPem((await generateRsaKeys(2048)).privateKey))
  }
  if (created.size > 0) {
    await sealAssets(db, box, created, clock.now().getTime())
  }
  return new Map([...opened, ...created])
}

async function assetsChanged(s: MdmSetupDeps): Promise<void> {
  s.assets.clear()
  await publish(s.deps.pubsub, MDM_ASSETS_CHANGED, null)
}

/** A PKCS#10 request for Apple's push certificate portal, signed with the APNs key. */
async function apnsCsr(keyPem: string, org: string, email: string): Promise<string> {
  const privateKey = await importRsaSigningKey(keyPem)
  const spki = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' })
  const publicKey = await webcrypto.subtle.importKey('spki', spki, RSA_SHA256, true, ['verify'])
  const name: x509.JsonName = [{ CN: [email || 'fleet'] }, { O: [org || 'Fleet'] }, { C: ['US'] }]
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys: { privateKey, publicKey },
    signingAlgorithm: RSA_SHA256,
  })
  return csr.toString('pem')
}

/** `GET /mdm/apple/request_csr`: the APNs CSR (base64 of its PEM). */
export async function requestCsr(s: MdmSetupDeps, ctx: RequestCtx): Promise<string> {
  authorize(ctx.authz, { type: 'apple_mdm_setup' }, 'write')
  const box = requireBox(s.box, 'download signed CSR')
  const assets = await ensureBaseAssets(s, box)
  await assetsChanged(s)
  const config = await s.appConfig.current()
  const pem = await apnsCsr(
    assets.get('apns_key') ?? '',
    config.org_info.org_name,
    ctx.actor?.email ?? '',
  )
  ctx.log.info('generated an APNs certificate signing request')
  return Buffer.from(pem).toString('base64')
}

/** `POST /mdm/apple/apns_certificate`: checks and stores the push certificate, turns MDM on. */
export async function uploadApnsCertificate(
  s: MdmSetupDeps,
  ctx: RequestCtx,
  input: { certificate: string; private_key?: string | undefined },
): Promise<void> {
  authorize(ctx.authz, { type: 'apple_mdm_setup' }, 'write')
  const box = requireBox(s.box, 'upload APNs certificate')
  const stored = await openAssets(s.deps.db, box, ['apns_key'])
  const keyPem = input.private_key ?? stored.get('apns_key')
  if (keyPem === undefined) {
    throw InvalidArgumentError.field('private_key', 'Please generate a private key first.')
  }
  const checked = checkPushCertificate(input.certificate, keyPem)
  if ('problems' in checked) {
    ctx.log.info({ problems: checked.problems }, 'APNs certificate refused')
    throw new InvalidArgumentError(checked.problems)
  }
  await ensureBaseAssets(s, box)
  const values = new Map<MdmAssetName, string>([
    ['apns_cert', input.certificate],
    ['apns_key', keyPem],
  ])
  await sealAssets(s.deps.db, box, values, s.deps.clock.now().getTime())
  await assetsChanged(s)
  await s.appConfig.setAppleMdmEnabled(true)
  ctx.log.info({ topic: checked.push.topic }, 'APNs certificate uploaded: Apple MDM is on')
}

/** `DELETE /mdm/apple/apns_certificate`: as Fleet, removes the push certificate, its key and the CA. */
export async function deleteApnsCertificate(s: MdmSetupDeps, ctx: RequestCtx): Promise<void> {
  authorize(ctx.authz, { type: 'apple_mdm_setup' }, 'write')
  await store.deleteAssets(s.deps.db, ['apns_cert', 'apns_key', 'ca_cert', 'ca_key'])
  await assetsChanged(s)
  await s.appConfig.setAppleMdmEnabled(false)
  ctx.log.info('APNs certificate and SCEP CA deleted: Apple MDM is off')
}

/** `GET /mdm/apple`: the push certificate in use. */
export async function getAppleMdm(s: MdmSetupDeps, ctx: RequestCtx): Promise<AppleMdmInfo> {
  authorize(ctx.authz, { type: 'apple_mdm_setup' }, 'read')
  const { push } = await s.assets.current()
  if (!push) {
    throw new NotFoundError(
      'Apple MDM',
      ErrorCode.MDM_NOT_CONFIGURED,
      'Apple MDM is not configured: upload an APNs certificate first',
    )
  }
  const cn = (name: x509.Name) => name.getField('CN')[0] ?? name.toString()
  return {
    common_name: cn(push.cert.subjectName),
    serial_number: decimalSerial(push.cert.serialNumber),
    issuer: cn(push.cert.issuerName),
    renew_date: push.cert.notAfter.toISOString(),
    topic: push.topic,
  }
}
