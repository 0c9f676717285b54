import { parseColonValues, type HostFs } from '../host-fs.js'
import { cols, type TableRow, type TableSpec } from '../table.js'

/** USER_HZ: clock ticks per second in /proc/<pid>/stat; 100 on every mainstream Linux ABI. */
const CLOCK_TICKS = 100
const MS_PER_TICK = 1000 / CLOCK_TICKS

/** Numeric entries of /proc: the running processes' ids. */
export function listPids(fs: HostFs): string[] {
  return fs.list('/proc').filter((name) => /^\d+$/.test(name))
}

/** The system boot time (seconds since the epoch), from the `btime` line of /proc/stat. */
export function bootTime(fs: HostFs): number | undefined {
  const match = fs.readText('/proc/stat')?.match(/^btime\s+(\d+)/m)
  return match?.[1] === undefined ? undefined : Number(match[1])
}

interface ProcStat {
  state: string
  parent: string
  group: string
  userTicks: number
  systemTicks: number
  nice: string
  threads: string
  startTicks: number
}

/** Fields of /proc/<pid>/stat after the `(comm)` field (comm may itself hold spaces and parens). */
export function parseStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')')
  const fields = text
    .slice(close + 2)
    .trim()
    .split(' ')
  if (close < 0 || fields.length <= 19) {
    return undefined
  }
  const at = (i: number): string => fields[i] ?? ''
  return {
    state: at(0),
    parent: at(1),
    group: at(2),
    userTicks: Number(at(11)),
    systemTicks: Number(at(12)),
    nice: at(16),
    threads: at(17),
    startTicks: Number(at(19)),
  }
}

function kbAsOsquery(value: string | undefined): number | undefined {
  // osquery appends "000" to the kB figure: it reports kB × 1000, not × 1024.
  const kb = value?.match(/^(\d+)/)?.[1]
  return kb === undefined ? undefined : Number(kb) * 1000
}

function ids(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/)
}

function readCmdline(fs: HostFs, pid: string): string {
  const buffer = fs.readBuffer(`/proc/${pid}/cmdline`)
  return buffer ? buffer.toString('utf8').replace(/\0/g, ' ').trim() : ''
}

/** The cgroup path of the first /proc/<pid>/cgroup line (`0::/user.slice` → `/user.slice`). */
export function parseCgroup(text: string): string {
  const line = text.split('\n')[0] ?? ''
  const first = line.indexOf(':')
  const second = first < 0 ? -1 : line.indexOf(':', first + 1)
  return second < 0 ? '' : line.slice(second + 1)
}

function ioColumns(fs: HostFs, pid: string): TableRow {
  const text = fs.readText(`/proc/${pid}/io`)
  if (text === undefined) {
    return {}
  }
  const io = parseColonValues(text)
  const written = Number(io.get('write_bytes') ?? 0) - Number(io.get('cancelled_write_bytes') ?? 0)
  return { disk_bytes_read: io.get('read_bytes'), disk_bytes_written: written }
}

function exePath(fs: HostFs, pid: string): { path: string; onDisk: number } {
  const link = fs.readLink(`/proc/${pid}/exe`) ?? ''
  if (link === '') {
    return { path: '', onDisk: -1 }
  }
  const deleted = ' (deleted)'
  if (link.endsWith(deleted) && !fs.exists(link)) {
    return { path: link.slice(0, -deleted.length), onDisk: 0 }
  }
  return { path: link, onDisk: fs.exists(link) ? 1 : 0 }
}

/** One processes row, or undefined when the process is gone or its stat/status unreadable. */
export function readProcess(
  fs: HostFs,
  pid: string,
  boot: number | undefined,
): TableRow | undefined {
  const statText = fs.readText(`/proc/${pid}/stat`)
  const statusText = fs.readText(`/proc/${pid}/status`)
  const stat = statText === undefined ? undefined : parseStat(statText)
  if (!stat || statusText === undefined) {
    return undefined
  }
  const status = parseColonValues(statusText)
  const [uid, euid, suid] = ids(status.get('Uid'))
  const [gid, egid, sgid] = ids(status.get('Gid'))
  const exe = exePath(fs, pid)
  return {
    pid,
    name: status.get('Name') ?? '',
    path: exe.path,
    cmdline: readCmdline(fs, pid),
    state: stat.state,
    cwd: fs.readLink(`/proc/${pid}/cwd`) ?? '',
    root: fs.readLink(`/proc/${pid}/root`) ?? '',
    uid,
    gid,
    euid,
    egid,
    suid,
    sgid,
    on_disk: exe.onDisk,
    wired_size: 0,
    resident_size: kbAsOsquery(status.get('VmRSS')),
    total_size: kbAsOsquery(status.get('VmSize')),
    user_time: stat.userTicks * MS_PER_TICK,
    system_time: stat.systemTicks * MS_PER_TICK,
    ...ioColumns(fs, pid),
    start_time: boot === undefined ? -1 : boot + Math.floor(stat.startTicks / CLOCK_TICKS),
    parent: stat.parent,
    pgroup: stat.group,
    threads: stat.threads,
    nice: stat.nice,
    cgroup_path: parseCgroup(fs.readText(`/proc/${pid}/cgroup`) ?? ''),
  }
}

/** processes: every process in /proc; ones that exit mid-read are skipped. */
export const processesTable: TableSpec = {
  name: 'processes',
  columns: cols(
    'pid:BIGINT name path cmdline state cwd root uid:BIGINT gid:BIGINT euid:BIGINT egid:BIGINT ' +
      'suid:BIGINT sgid:BIGINT on_disk:INTEGER wired_size:BIGINT resident_size:BIGINT ' +
      'total_size:BIGINT user_time:BIGINT system_time:BIGINT disk_bytes_read:BIGINT ' +
      'disk_bytes_written:BIGINT start_time:BIGINT parent:BIGINT pgroup:BIGINT threads:INTEGER ' +
      'nice:INTEGER cgroup_path',
  ),
  foreign: [
    'elevated_token',
    'secure_process',
    'protection_type',
    'virtual_process',
    'elapsed_time',
    'handle_count',
    'percent_processor_time',
    'upid',
    'uppid',
    'cpu_type',
    'cpu_subtype',
    'translated',
  ],
  *rows({ fs }) {
    const boot = bootTime(fs)
    for (const pid of listPids(fs)) {
      const row = readProcess(fs, pid, boot)
      if (row) {
        yield row
      }
    }
  },
}
