import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { describe, expect, it } from 'vitest'
import { createTestPki } from '../../test-utils/test-pki.js'
import type { AppleMdm, AppleMdmAssets } from '../mdm-setup/index.js'
import { setupPushCertificates } from './push-certificates.js'

const TOPIC = 'com.apple.mgmt.External.0c0ffee0-0000-4000-8000-000000000000'

describe('setupPushCertificates', () => {
  it('gives the set-up’s push certificate for its topic only, with a version that follows uploads', async () => {
    const pki = await createTestPki()
    const first = await pki.issueClient('APSP:1', TOPIC)
    const renewed = await pki.issueClient('APSP:2', TOPIC)
    let assets: AppleMdmAssets = {}
    const mdm: AppleMdm = { current: () => Promise.resolve(assets), box: undefined }
    const source = setupPushCertificates(mdm)
    expect(await source.pushCertificate(TOPIC)).toBeUndefined() // MDM not set up

    const push = (c: typeof first) => ({
      ...c,
      topic: TOPIC,
      cert: new x509.X509Certificate(c.certPem),
    })
    assets = { push: push(first) }
    const a = await source.pushCertificate(TOPIC)
    expect(a).toMatchObject({ topic: TOPIC, certPem: first.certPem, keyPem: first.keyPem })
    expect(await source.pushCertificate('com.apple.mgmt.External.other')).toBeUndefined()
    expect((await source.pushCertificate(TOPIC))?.version).toBe(a?.version)

    assets = { push: push(renewed) }
    const b = await source.pushCertificate(TOPIC)
    expect(b?.certPem).toBe(renewed.certPem)
    expect(b?.version).not.toBe(a?.version)
  })
})
