import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { stopAfterTest, stopProcesses } from './processes.js'

describe('stopProcesses', () => {
  it('kills every registered process still running, and forgets those that exited', async () => {
    const spawnNode = (code: string) =>
      stopAfterTest(spawn(process.execPath, ['-e', code], { stdio: 'ignore' }))
    const done = spawnNode('')
    await new Promise((resolve) => done.once('exit', resolve))
    const stubborn = spawnNode('process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)')
    await stopProcesses()
    expect(stubborn.signalCode).toBe('SIGKILL')
    expect(() => process.kill(stubborn.pid ?? 0, 0)).toThrow()
    await stopProcesses()
  })
})
