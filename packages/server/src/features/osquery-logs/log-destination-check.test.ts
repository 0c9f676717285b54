import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../config/index.js'
import { buildServer } from '../../server.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

describe('osquery log destinations at start', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer('sqlite')
  })
  afterAll(() => t.close())

  it('refuse to start on a log path that cannot be written, naming the setting and the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-log-check-'))
    const notADirectory = join(dir, 'a-file')
    writeFileSync(notADirectory, '')
    const config = loadConfig({
      env: {},
      flags: {
        data_dir: dir,
        'server.tls': 'false',
        'filesystem.result_log_file': join(notADirectory, 'osquery_result'),
      },
    })
    await expect(buildServer({ ...t.deps, config })).rejects.toThrow(
      /config filesystem\.result_log_file .*cannot write the result log: .*a-file/,
    )
  })
})
