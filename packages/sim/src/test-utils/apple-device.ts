import { webcrypto } from 'node:crypto'
import { createApnsPki } from '../apple/apns-pki.js'
import type { DeviceFacts } from '../apple/device-answers.js'

/** The facts of a simulated Mac for tests of its answers and DDM reports. */
export const FACTS: DeviceFacts = {
  udid: '66ADE930-5FDF-5EC4-8429-15640684C489',
  serial: 'C02TEST',
  deviceName: 'Fruit',
  model: 'MacBookPro16,1',
  osVersion: '14.4.1',
  buildVersion: '23E224',
}

/** A throw-away certificate and key that can sign a profile (who signs does not matter here). */
export async function profileSigner(): Promise<{
  certificateDer: Buffer
  privateKey: webcrypto.CryptoKey
}> {
  const { push } = await createApnsPki('com.apple.mgmt.External.signer')
  const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64')
  const privateKey = await webcrypto.subtle.importKey(
    'pkcs8',
    der(push.keyPem),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  )
  return { certificateDer: der(push.certPem), privateKey }
}
