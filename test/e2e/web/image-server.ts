import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

/** A 1×1 PNG. */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

/** An https origin other than the console's, serving one image (an org logo hosted elsewhere). */
export interface ImageServer {
  /** The image's https URL (localhost on its own port: another origin than the console's). */
  url: string
  /** How many times the image was fetched. */
  requests(): number
  stop(): Promise<void>
}

/**
 * Serves a PNG over https on a free port with the Fleet server's own certificate (the browser
 * context ignores certificate errors anyway).
 */
export async function startImageServer(dataDir: string): Promise<ImageServer> {
  let count = 0
  const server = createServer(
    {
      cert: readFileSync(join(dataDir, 'tls', 'server.crt')),
      key: readFileSync(join(dataDir, 'tls', 'server.key')),
    },
    (req, res) => {
      count += 1
      res.writeHead(req.url === '/logo.png' ? 200 : 404, { 'content-type': 'image/png' })
      res.end(req.url === '/logo.png' ? PIXEL : undefined)
    },
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `https://localhost:${port}/logo.png`,
    requests: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
