import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { beforeEach, describe, expect, it } from 'vitest'
import { FilesystemDestination } from './filesystem-destination.js'

describe('FilesystemDestination', () => {
  let dir: string
  let clock: number
  const now = () => new Date(clock)

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-logs-'))
    clock = Date.parse('2026-11-22T10:00:00.000Z')
  })

  const line = (n: number) => JSON.stringify({ name: 'pack/Global/q', n, pad: 'x'.repeat(80) })
  const lines = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => line(from + i))

  it('cuts off a write that failed half-way (disk full), so no line is torn', async () => {
    const path = join(dir, 'osquery_result')
    let failNext = false
    const destination = new FilesystemDestination({
      path,
      openFile: async (p) => {
        const handle = await open(p, 'a', 0o600)
        const append = handle.appendFile.bind(handle)
        handle.appendFile = async (data, options) => {
          if (!failNext || typeof data === 'string' || !Buffer.isBuffer(data)) {
            return append(data, options)
          }
          failNext = false
          await handle.write(data.subarray(0, Math.floor(data.length / 2)))
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
        }
        return handle
      },
    })
    await destination.write(lines(0, 1))
    failNext = true
    await expect(destination.write(lines(1, 2))).rejects.toThrow(/ENOSPC/)
    await destination.write(lines(1, 2))
    await destination.close()
    expect(readFileSync(path, 'utf8')).toBe(`${[0, 1, 2].map(line).join('\n')}\n`)
  })

  it('starts on a new line when it finds the file ending mid-line (a crash)', async () => {
    const path = join(dir, 'osquery_status')
    writeFileSync(path, '{"a":1}\n{"b":')
    const destination = new FilesystemDestination({ path })
    await destination.write(lines(0, 1))
    await destination.close()
    expect(readFileSync(path, 'utf8')).toBe(`{"a":1}\n{"b":\n${line(0)}\n`)
  })

  it('appends JSON lines to a 0600 file, creating its directory, across restarts', async () => {
    const path = join(dir, 'nested', 'osquery_result')
    const first = new FilesystemDestination({ path })
    await first.write(lines(0, 2))
    await first.close()
    const second = new FilesystemDestination({ path })
    await second.write(lines(2, 1))
    await second.close()
    const written = readFileSync(path, 'utf8')
    expect(written.endsWith('\n')).toBe(true)
    expect(
      written
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { n: number }).n),
    ).toEqual([0, 1, 2])
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('rotates by size into timestamped backups and keeps max_backups of them', async () => {
    const path = join(dir, 'osquery_result')
    const fs = new FilesystemDestination({
      path,
      now,
      rotation: { maxBytes: 1000, maxBackups: 2, maxAgeMs: 0, compress: false },
    })
    for (let i = 0; i < 40; i += 5) {
      await fs.write(lines(i, 5))
      clock += 1000
    }
    await fs.close()
    const files = readdirSync(dir).sort()
    expect(files).toEqual([
      'osquery_result',
      'osquery_result-2026-11-22T10-00-06.000',
      'osquery_result-2026-11-22T10-00-07.000',
    ])
    for (const name of files) {
      expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(1000)
    }
    // Nothing is lost from the files that are kept: the current one ends with the last line.
    const current = readFileSync(path, 'utf8').trim().split('\n')
    expect((JSON.parse(current.at(-1) ?? '{}') as { n: number }).n).toBe(39)
    const kept = files
      .flatMap((name) => readFileSync(join(dir, name), 'utf8').trim().split('\n'))
      .map((l) => (JSON.parse(l) as { n: number }).n)
      .sort((a, b) => a - b)
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 40 - kept.length + i))
  })

  it('gzips rotated files when compression is on', async () => {
    const path = join(dir, 'status.log')
    const fs = new FilesystemDestination({
      path,
      now,
      rotation: { maxBytes: 500, maxBackups: 0, maxAgeMs: 0, compress: true },
    })
    await fs.write(lines(0, 4))
    await fs.write(lines(4, 4))
    await fs.close()
    const backups = readdirSync(dir).filter((name) => name !== 'status.log')
    expect(backups).toEqual([expect.stringMatching(/^status-2026-11-22T10-00-00\.000\.log\.gz$/)])
    const unzipped = gunzipSync(readFileSync(join(dir, backups[0] ?? ''))).toString('utf8')
    expect(unzipped.trim().split('\n')).toEqual(lines(0, 4))
  })

  it('deletes backups older than max_age', async () => {
    const path = join(dir, 'osquery_result')
    const fs = new FilesystemDestination({
      path,
      now,
      rotation: { maxBytes: 300, maxBackups: 0, maxAgeMs: 24 * 3_600_000, compress: false },
    })
    await fs.write(lines(0, 2))
    await fs.write(lines(2, 2))
    const [old] = readdirSync(dir).filter((name) => name !== 'osquery_result')
    clock += 2 * 24 * 3_600_000
    await fs.write(lines(4, 2))
    await fs.close()
    const backups = readdirSync(dir).filter((name) => name !== 'osquery_result')
    expect(backups).toHaveLength(1)
    expect(backups).not.toContain(old)
  })
})
