import { describe, expect, it } from 'vitest'
import { createSelfSignedCa } from '../../platform/pki/x509.js'
import { makeAbmTokenFile } from '../../test-utils/fake-abm.js'
import {
  AbmTokenFileError,
  decryptAbmToken,
  envelopeDer,
  parseTokenMessage,
} from './abm-token-file.js'

const creds = {
  consumerKey: 'CK_a',
  consumerSecret: 'CS_b',
  accessToken: 'AT_c',
  accessSecret: 'AS_d',
}
const expiry = new Date('2030-01-02T03:04:05Z')

describe('ABM server token files', () => {
  it('decrypts an S/MIME .p7m made for our key and reads the OAuth credentials', async () => {
    const keys = await createSelfSignedCa({ name: 'CN=ABM test', years: 1, now: new Date() })
    const file = makeAbmTokenFile(keys.certPem, creds, expiry)
    expect(file).toMatch(/^Content-Type: application\/pkcs7-mime/)
    expect(decryptAbmToken(file, keys.keyPem)).toEqual({ ...creds, expiresAt: expiry.getTime() })
  })

  it('refuses a token encrypted to another key', async () => {
    const ours = await createSelfSignedCa({ name: 'CN=ours', years: 1, now: new Date() })
    const theirs = await createSelfSignedCa({ name: 'CN=theirs', years: 1, now: new Date() })
    const file = makeAbmTokenFile(theirs.certPem, creds, expiry)
    expect(() => decryptAbmToken(file, ours.keyPem)).toThrow(AbmTokenFileError)
  })

  it('refuses malformed files: not base64, not CMS, no message, incomplete JSON', async () => {
    const keys = await createSelfSignedCa({ name: 'CN=ABM test', years: 1, now: new Date() })
    expect(() => envelopeDer('Content-Type: x\n\n!!! not base64 !!!')).toThrow(AbmTokenFileError)
    expect(() => decryptAbmToken(Buffer.from('hello').toString('base64'), keys.keyPem)).toThrow(
      AbmTokenFileError,
    )
    const noMessage = makeAbmTokenFile(keys.certPem, creds, expiry, 'just text')
    expect(() => decryptAbmToken(noMessage, keys.keyPem)).toThrow(/no token message/)
    expect(() =>
      parseTokenMessage('-----BEGIN MESSAGE-----{"consumer_key":"x"}-----END MESSAGE-----'),
    ).toThrow(/incomplete/)
    expect(() => parseTokenMessage('-----BEGIN MESSAGE-----{-----END MESSAGE-----')).toThrow(
      /not JSON/,
    )
  })
})
