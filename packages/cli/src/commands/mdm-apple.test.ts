import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { FLEET_API } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeFleet, type FakeFleet } from '../test-utils/fake-fleet.js'
import { createHarness, type Harness } from '../test-utils/harness.js'

const CSR_PEM = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n'

let h: Harness
let fleet: FakeFleet
beforeEach(async () => {
  h = await createHarness()
  fleet = await startFakeFleet({
    [`GET ${FLEET_API}/mdm/apple/request_csr`]: () => ({
      body: { csr: Buffer.from(CSR_PEM).toString('base64') },
    }),
    [`POST ${FLEET_API}/mdm/apple/apns_certificate`]: (req) => {
      const body = req.body as { certificate?: string }
      if (!body.certificate?.includes('BEGIN CERTIFICATE')) {
        const reason =
          'Invalid certificate. Please provide a valid certificate from Apple Push Certificate Portal.'
        return {
          status: 400,
          body: { message: 'Bad request', errors: [{ name: 'certificate', reason }] },
        }
      }
      return { status: 202, body: {} }
    },
    [`GET ${FLEET_API}/mdm/apple`]: () => ({
      body: {
        common_name: 'APSP:abc',
        serial_number: '42',
        issuer: 'Apple Application Integration 2 Certification Authority',
        renew_date: '2027-12-01T00:00:00.000Z',
        topic: 'com.apple.mgmt.External.abc',
      },
    }),
  })
  await h.login(fleet.url, 'tok')
})
afterEach(async () => {
  await fleet.close()
  await h.cleanup()
})

describe('Apple MDM set-up commands', () => {
  it('generate mdm-apple writes the CSR where --csr says', async () => {
    const res = await h.fleetctl(['generate', 'mdm-apple', '--csr', 'out.csr'])
    expect(res.code).toBe(0)
    expect(res.out).toContain('Generated your certificate signing request (CSR) at out.csr')
    expect(await readFile(join(h.dir, 'out.csr'), 'utf8')).toBe(CSR_PEM)
  })

  it('mdm upload-apns-certificate sends the certificate and key; a refusal exits non-zero', async () => {
    await writeFile(
      join(h.dir, 'push.pem'),
      '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n',
    )
    await writeFile(join(h.dir, 'push.key'), 'KEY')
    const ok = await h.fleetctl([
      'mdm',
      'upload-apns-certificate',
      '--certificate',
      'push.pem',
      '--private-key',
      'push.key',
    ])
    expect(ok).toMatchObject({
      code: 0,
      out: '[+] Uploaded the APNs certificate: Apple MDM is turned on\n',
    })
    const sent = fleet.requests.find((r) => r.method === 'POST')
    expect(sent?.body).toEqual({
      certificate: '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n',
      private_key: 'KEY',
    })

    await writeFile(join(h.dir, 'bad.pem'), 'nope')
    const bad = await h.fleetctl(['mdm', 'upload-apns-certificate', '--certificate', 'bad.pem'])
    expect(bad.code).not.toBe(0)
    expect(bad.err).toContain('Invalid certificate')
  })

  it('get mdm_apple shows the push certificate', async () => {
    const res = await h.fleetctl(['get', 'mdm_apple'])
    expect(res.code).toBe(0)
    expect(res.out).toContain('APSP:abc')
    expect(res.out).toContain('com.apple.mgmt.External.abc')
  })
})
