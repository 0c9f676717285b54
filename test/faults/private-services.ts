import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { freePort, sleep, tempDir } from './harness.js'

/**
 * A server process of our own (never the machine's shared MariaDB or Redis, which other work
 * uses), on a free port, that a scenario can stop and start again with the same data.
 */
abstract class PrivateService {
  private child: ChildProcess | undefined
  private output = ''

  protected constructor(readonly port: number) {}

  protected abstract command(): [string, string[]]
  protected abstract ready(): Promise<boolean>

  async start(): Promise<void> {
    const [command, args] = this.command()
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    const collect = (chunk: Buffer) => (this.output = (this.output + String(chunk)).slice(-4000))
    child.stdout?.on('data', collect)
    child.stderr?.on('data', collect)
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) {
        break
      }
      if (await this.ready()) {
        return
      }
      await sleep(200)
    }
    await this.kill('SIGKILL')
    throw new Error(`${command} did not start:\n${this.output}`)
  }

  /** Sends `signal` and waits until the process is gone. */
  async kill(signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM'): Promise<void> {
    const child = this.child
    this.child = undefined
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return
    }
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill(signal)
    await gone
  }
}

/** `redis-server` without persistence on a free port. */
export class PrivateRedis extends PrivateService {
  static async create(): Promise<PrivateRedis> {
    return new PrivateRedis(await freePort())
  }

  get address(): string {
    return `127.0.0.1:${this.port}`
  }

  protected command(): [string, string[]] {
    return ['redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '']]
  }

  protected async ready(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: this.port })
      socket.once('connect', () => {
        socket.end()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
  }
}

/** `mariadbd` on its own data directory and a free port, root without a password. */
export class PrivateMariadb extends PrivateService {
  private constructor(
    port: number,
    private readonly dir: string,
  ) {
    super(port)
  }

  static async create(): Promise<PrivateMariadb> {
    const dir = tempDir('mariadb')
    mkdirSync(join(dir, 'data'))
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        'mariadb-install-db',
        [
          '--no-defaults',
          `--datadir=${join(dir, 'data')}`,
          '--auth-root-authentication-method=normal',
          '--user=root',
        ],
        { stdio: 'ignore' },
      )
      child.once('error', reject)
      child.once('exit', () => resolve())
    })
    return new PrivateMariadb(await freePort(), dir)
  }

  get address(): string {
    return `127.0.0.1:${this.port}`
  }

  /** Stops the server and removes its data directory. */
  async dispose(): Promise<void> {
    await this.kill('SIGKILL')
    rmSync(this.dir, { recursive: true, force: true })
  }

  /** Creates a database (utf8mb4). */
  async createDatabase(name: string): Promise<void> {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root' })
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
    await conn.end()
  }

  protected command(): [string, string[]] {
    return [
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${join(this.dir, 'data')}`,
        `--socket=${join(this.dir, 'mysqld.sock')}`,
        `--pid-file=${join(this.dir, 'mysqld.pid')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        '--skip-grant-tables',
        '--user=root',
        '--innodb-buffer-pool-size=64M',
        '--max-connections=500',
      ],
    ]
  }

  protected async ready(): Promise<boolean> {
    try {
      const conn = await mysql.createConnection({
        host: '127.0.0.1',
        port: this.port,
        user: 'root',
      })
      await conn.end()
      return true
    } catch {
      return false
    }
  }
}
