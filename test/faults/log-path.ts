import { execFileSync } from 'node:child_process'
import {
  closeSync,
  mkdirSync,
  openSync,
  rmSync,
  statfsSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { basename, join } from 'node:path'
import { request } from 'undici'
import {
  allEnrolled,
  Api,
  FleetServer,
  freePort,
  INTERVAL_S,
  record,
  SECRET,
  setUp,
  sleep,
  startSims,
  tempDir,
  verify,
  type Outcome,
  type ScenarioOptions,
} from './harness.js'

/** Room for every result line of a 1,000-host run (a sparse image: only what is used). */
const IMAGE_SIZE = '512M'

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8' })
}

/**
 * The server's result log on a file system of our own (root only): an ext4 image on a loop
 * device at `<base>/logs`, where `<base>` is a read-only tmpfs, so while the ext4 is away
 * the path can't be written at all (nothing hides in the mount point).
 *
 * - read-only: the kernel's emergency read-only remount (`errors=remount-ro` after a file-system
 *   error; ext4's `trigger_fs_error` raises one), which fails writes on files already open, as
 *   a failing disk does. The file system is frozen first, so everything written is on disk.
 *   Repaired by mounting it again.
 * - full: a filler file takes every free block; repaired by removing it.
 */
class LogMount {
  readonly base = tempDir('log-mount')
  readonly dir = join(this.base, 'logs')
  private readonly image = `${this.base}.img`
  private readonly filler = join(this.dir, 'filler')

  mount(): void {
    run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', this.base])
    mkdirSync(this.dir)
    run('mount', ['-o', 'remount,ro', this.base])
    run('truncate', ['-s', IMAGE_SIZE, this.image])
    run('mkfs.ext4', ['-q', '-F', '-m', '0', this.image])
    this.mountImage()
  }

  private mountImage(): void {
    run('mount', ['-o', 'loop,errors=remount-ro', this.image, this.dir])
  }

  breakReadOnly(): void {
    const device = basename(run('findmnt', ['-no', 'SOURCE', this.dir]).trim())
    run('fsfreeze', ['-f', this.dir])
    try {
      writeFileSync(`/sys/fs/ext4/${device}/trigger_fs_error`, 'faults: read-only log path\n')
    } finally {
      run('fsfreeze', ['-u', this.dir])
    }
  }

  /** Mounts the file system again once the server has let go of its file (it does on EROFS). */
  async repairReadOnly(): Promise<void> {
    for (let tries = 0; ; tries++) {
      try {
        run('umount', [this.dir])
        break
      } catch (error) {
        if (tries >= 60) {
          throw error
        }
        await sleep(1000)
      }
    }
    this.mountImage()
  }

  /** Writes a filler file until the file system has no room left. */
  fill(): void {
    const free = statfsSync(this.dir).bavail * statfsSync(this.dir).bsize
    run('fallocate', ['-l', String(Math.max(0, free - 1024 * 1024)), this.filler])
    const fd = openSync(this.filler, 'a')
    try {
      for (;;) {
        writeSync(fd, Buffer.alloc(4096))
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') {
        throw error
      }
    } finally {
      closeSync(fd)
    }
  }

  unfill(): void {
    rmSync(this.filler)
  }

  dispose(): void {
    for (const dir of [this.dir, this.base]) {
      try {
        run('umount', [dir])
      } catch {
        // Not mounted (a scenario that failed half-way).
      }
    }
    rmSync(this.base, { recursive: true, force: true })
    rmSync(this.image, { force: true })
  }
}

/** The probe's host identifier; its lines are left out of the delivery count. */
const PROBE = 'faults-log-probe'

/**
 * One osquery-like host of the scenario's own, to see the answers directly: it posts one
 * result line and reports the HTTP status (osquery keeps the lines and resends on anything but
 * 200).
 */
class Probe {
  private nodeKey = ''

  constructor(private readonly server: FleetServer) {}

  async enroll(): Promise<void> {
    const res = await request(`${this.server.url}/api/osquery/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        enroll_secret: SECRET,
        host_identifier: PROBE,
        host_details: { system_info: { hostname: PROBE, uuid: PROBE, computer_name: PROBE } },
      }),
    })
    this.nodeKey = String(record(await res.body.json()).node_key)
  }

  async logResult(): Promise<number> {
    const unixTime = Math.floor(Date.now() / 1000)
    const res = await request(`${this.server.url}/api/osquery/log`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        node_key: this.nodeKey,
        log_type: 'result',
        data: [
          {
            name: 'faults_probe',
            hostIdentifier: PROBE,
            unixTime,
            epoch: 0,
            counter: 0,
            snapshot: [{ probe: '1' }],
            action: 'snapshot',
          },
        ],
      }),
    })
    await res.body.dump()
    return res.statusCode
  }

  /** Takes the probe's host away again so the host count is the simulated hosts'. */
  async forget(api: Api): Promise<void> {
    const hosts = (await api.call('GET', '/api/latest/fleet/hosts')).hosts
    const all = Array.isArray(hosts) ? hosts.map(record) : []
    const probes = all.filter((h) =>
      [h.hostname, h.uuid, h.display_name, h.computer_name].includes(PROBE),
    )
    if (probes.length !== 1) {
      throw new Error(`expected the probe host once, found ${probes.length}`)
    }
    for (const host of probes) {
      await api.call('DELETE', `/api/latest/fleet/hosts/${String(host.id)}`)
    }
  }
}

/**
 * The server's result log on a file system that turns read-only (`read-only`) or full
 * (`disk-full`) for `downS` seconds while every host logs. While it is broken, the
 * server must answer log posts 503 (so osquery keeps the lines), and 200 again once it is
 * repaired; then every delivered line must be in the result log once.
 */
export async function logPathFault(
  options: ScenarioOptions,
  kind: 'read-only' | 'disk-full',
): Promise<Outcome> {
  const mount = new LogMount()
  mount.mount()
  const server = new FleetServer(
    await freePort(),
    tempDir('log-path'),
    {},
    { resultLogFile: join(mount.dir, 'osquery_result') },
  )
  const api = new Api(server.url)
  let sims: ReturnType<typeof startSims> = []
  try {
    await server.start()
    await setUp(api)
    const probe = new Probe(server)
    await probe.enroll()
    sims = startSims(options, [server.url], Math.ceil(options.hosts / 100))
    if (!(await allEnrolled(sims, 120))) {
      throw new Error('hosts did not all enroll before the fault')
    }
    await sleep(2 * INTERVAL_S * 1000)
    const before = await probe.logResult()
    if (kind === 'read-only') {
      mount.breakReadOnly()
    } else {
      mount.fill()
    }
    // The hosts keep posting throughout; the probe sees what they are told.
    const brokenUntil = Date.now() + options.downS * 1000
    let refusedAnswers = 0
    let otherAnswers = 0
    while (Date.now() < brokenUntil) {
      const status = await probe.logResult()
      refusedAnswers += status === 503 ? 1 : 0
      otherAnswers += status === 503 ? 0 : 1
      await sleep(1000)
    }
    if (kind === 'read-only') {
      await mount.repairReadOnly()
    } else {
      mount.unfill()
    }
    const repairedAt = Date.now()
    // The server tries the destination again after its back-off (at most 30 s).
    let after = await probe.logResult()
    while (after !== 200 && Date.now() - repairedAt < 60_000) {
      await sleep(1000)
      after = await probe.logResult()
    }
    const recoveredS = Math.round((Date.now() - repairedAt) / 1000)
    await probe.forget(api)
    // Three intervals for every host to send what it kept.
    await sleep(3 * INTERVAL_S * 1000)
    const outcome = await verify(api, sims, options.hosts, [server], { ignoreHost: PROBE })
    // A full disk still takes a line that fits in the slack of the file's last block.
    const strict = kind === 'read-only'
    return {
      pass:
        outcome.pass &&
        before === 200 &&
        refusedAnswers > 0 &&
        (!strict || otherAnswers === 0) &&
        after === 200,
      numbers: {
        ...outcome.numbers,
        probe_503_while_broken: refusedAnswers,
        probe_other_while_broken: otherAnswers,
        probe_200_after_s: after === 200 ? recoveredS : 'never',
      },
    }
  } finally {
    await Promise.all(sims.map((sim) => sim.stop()))
    await server.dispose()
    await api.close()
    mount.dispose()
  }
}
