import {
  createApnsConnections,
  createApnsPusher,
  createCommandQueue,
  createResultHandlers,
  type CommandQueue,
} from '../features/mdm-commands/index.js'
import { silentLogger } from '../platform/logger.js'
import type { FakeApns } from './fake-apns.js'
import type { TestServer } from './test-server.js'

/**
 * A command queue on the test server's database that pushes to the fake APNs with a push
 * certificate it trusts for `topic` (the server's own queue pushes to Apple with the uploaded
 * certificate). Close `connections` in afterAll.
 */
export async function fakeApnsQueue(
  t: TestServer,
  apns: FakeApns,
  topic: string,
): Promise<{ queue: CommandQueue; connections: ReturnType<typeof createApnsConnections> }> {
  const push = await apns.pki.issueClient('APSP:test', topic)
  const connections = createApnsConnections({ baseUrl: apns.url, ca: apns.pki.ca.certPem })
  const queue = createCommandQueue({
    db: t.database.db,
    clock: t.clock,
    log: silentLogger(),
    handlers: createResultHandlers(),
    pusher: createApnsPusher({
      db: t.database.db,
      clock: t.clock,
      log: silentLogger(),
      certificates: {
        pushCertificate: (tp) =>
          Promise.resolve(tp === topic ? { topic, ...push, version: '1' } : undefined),
      },
      connections,
      concurrency: 2,
    }),
  })
  return { queue, connections }
}
