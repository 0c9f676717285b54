import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../test-utils/harness.js'

let h: Harness
let dir: string
let child: ChildProcess | undefined
beforeEach(async () => {
  h = await createHarness()
  dir = join(h.dir, 'preview')
  mkdirSync(dir)
})
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL')
  }
  child = undefined
  await h.cleanup()
})

/** A stand-in for a running preview: a process of ours, recorded in the pid file. */
function fakePreview(): { exited: Promise<NodeJS.Signals | null> } {
  child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child?.once('exit', (_code, signal) => resolve(signal)),
  )
  writeFileSync(join(dir, 'preview.pid'), `${child.pid}\n`)
  return { exited }
}

describe('preview stop / reset', () => {
  it('stop: terminates the running preview and forgets it', async () => {
    const { exited } = fakePreview()
    const res = await h.fleetctl(['preview', 'stop', '--preview-data-dir', dir])
    expect(res.err).toBe('')
    expect(res.out).toBe(
      'Fleet preview server and dependencies stopped. Start again with fleetctl preview.\n',
    )
    expect(await exited).toBe('SIGTERM')
    expect(existsSync(join(dir, 'preview.pid'))).toBe(false)
    const again = await h.fleetctl(['preview', 'stop', '--preview-data-dir', dir])
    expect(again.out).toBe('No Fleet preview is running.\n')
  })

  it('reset: stops it and deletes its data directory', async () => {
    const { exited } = fakePreview()
    writeFileSync(join(dir, 'server.log'), 'old')
    const res = await h.fleetctl(['preview', 'reset', '--preview-data-dir', dir])
    expect(res.out).toBe(
      'Fleet preview server and dependencies reset. Start again with fleetctl preview.\n',
    )
    expect(await exited).toBe('SIGTERM')
    expect(existsSync(dir)).toBe(false)
  })
})

describe('preview', () => {
  it('refuses to start a second preview on the same data directory', async () => {
    fakePreview()
    const res = await h.fleetctl(['preview', '--preview-data-dir', dir])
    expect(res.code).toBe(1)
    expect(res.err).toBe(
      `Error: a preview is already running on ${dir} (pid ${child?.pid})\nstop it with \`fleetctl preview stop\`\n`,
    )
  })

  it('refuses --no-hosts with --sim-hosts', async () => {
    const res = await h.fleetctl(['preview', '--no-hosts', '--sim-hosts', '3'])
    expect(res.err).toBe('Error: --no-hosts and --sim-hosts cannot be used together\n')
  })
})
