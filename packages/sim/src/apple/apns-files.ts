import { randomUUID } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { createApnsPki, type ApnsPki } from './apns-pki.js'

const Pair = z.object({ certPem: z.string(), keyPem: z.string() })
const StoredPki = z.object({
  ca: Pair,
  server: Pair,
  push: Pair.extend({ topic: z.string().startsWith('com.apple.mgmt') }),
})

/** Where the fake APNs' files are: what Fleet must be given (the push cert/key, the CA to trust). */
export interface ApnsFiles {
  pki: ApnsPki
  pushCertPath: string
  pushKeyPath: string
  caPath: string
  /** False when an earlier run's PKI was reused (Fleet keeps working without a new upload). */
  created: boolean
}

/**
 * The fake APNs' PKI kept in `dir` (`apns-pki.json`), created on first use, so that a Fleet
 * server set up once (push certificate uploaded, `NODE_EXTRA_CA_CERTS` pointing at `ca.pem`)
 * keeps working across simulator runs. Writes `push.pem`, `push.key` and `ca.pem` beside it.
 */
export async function loadOrCreateApnsFiles(dir: string): Promise<ApnsFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const stored = join(dir, 'apns-pki.json')
  let pki: ApnsPki | undefined
  try {
    pki = StoredPki.parse(JSON.parse(await readFile(stored, 'utf8')))
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOENT')) {
      throw new Error(`${stored} is unreadable (delete it to start over): ${String(err)}`)
    }
  }
  const created = pki === undefined
  pki ??= await createApnsPki(`com.apple.mgmt.External.${randomUUID()}`)
  const files = {
    pushCertPath: join(dir, 'push.pem'),
    pushKeyPath: join(dir, 'push.key'),
    caPath: join(dir, 'ca.pem'),
  }
  if (created) {
    await writeFile(stored, JSON.stringify(pki, null, 2), { mode: 0o600 })
  }
  await writeFile(files.pushCertPath, pki.push.certPem)
  await writeFile(files.pushKeyPath, pki.push.keyPem, { mode: 0o600 })
  await writeFile(files.caPath, pki.ca.certPem)
  return { pki, ...files, created }
}
