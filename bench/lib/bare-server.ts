import { createServer } from 'node:http'

/**
 * The baseline: a bare node:http server that reads a JSON body, parses it and answers with a
 * fixed JSON object — the least any JSON API on Node can do per request.
 */
const server = createServer((request, response) => {
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
    const body = JSON.stringify({ queries: {}, discovery: {} })
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    response.end(body)
  })
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.stdout.write(
    `listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`,
  )
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
