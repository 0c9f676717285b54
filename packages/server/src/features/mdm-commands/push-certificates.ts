import { createHash } from 'node:crypto'
import type { AppleMdm } from '../mdm-setup/index.js'
import type { PushCertificateSource } from './push.js'

/**
 * The push certificate from the MDM set-up (`APPLE_MDM`), for the topic it was issued for. Its
 * version is a hash of certificate and key, so an upload of a new certificate (or renewal) makes
 * the pusher reconnect with it.
 */
export function setupPushCertificates(mdm: AppleMdm): PushCertificateSource {
  let last: { pem: string; version: string } | undefined
  const versionOf = (certPem: string, keyPem: string): string => {
    const pem = certPem + keyPem
    if (last?.pem !== pem) {
      last = { pem, version: createHash('sha256').update(pem).digest('hex') }
    }
    return last.version
  }
  return {
    async pushCertificate(topic) {
      const { push } = await mdm.current()
      if (!push || push.topic !== topic) {
        return undefined
      }
      return {
        topic,
        certPem: push.certPem,
        keyPem: push.keyPem,
        version: versionOf(push.certPem, push.keyPem),
      }
    },
  }
}
