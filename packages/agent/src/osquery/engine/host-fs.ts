import {
  lstatSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  statSync,
  statfsSync,
  type Stats,
  type StatsFs,
} from 'node:fs'
import { posix } from 'node:path'

/**
 * Read-only access to a machine's files under a root prefix: `/` for the real machine, or a fixture
 * directory in tests. Every reader returns `undefined` (or an empty list) instead of throwing, because
 * /proc entries vanish mid-read and permission errors are normal; tables skip what they can't read.
 */
export class HostFs {
  readonly root: string

  constructor(root = '/') {
    this.root = root === '' ? '/' : root
  }

  /** The real path of a machine path (`/etc/os-release` → `<root>/etc/os-release`). */
  real(path: string): string {
    return this.root === '/' ? path : posix.join(this.root, path)
  }

  /** A view of this machine rooted at one of its directories (e.g. `/proc/<pid>/root`). */
  at(path: string): HostFs {
    return new HostFs(this.real(path))
  }

  readText(path: string): string | undefined {
    try {
      return readFileSync(this.real(path), 'utf8')
    } catch {
      return undefined
    }
  }

  readBuffer(path: string): Buffer | undefined {
    try {
      return readFileSync(this.real(path))
    } catch {
      return undefined
    }
  }

  /** The first line of a small file, trimmed (sysfs attributes); undefined when unreadable. */
  readLine(path: string): string | undefined {
    const text = this.readText(path)
    return text === undefined ? undefined : (text.split('\n')[0] ?? '').trim()
  }

  readLink(path: string): string | undefined {
    try {
      return readlinkSync(this.real(path))
    } catch {
      return undefined
    }
  }

  /** Entry names of a directory, sorted; empty when missing or unreadable. */
  list(path: string): string[] {
    try {
      return readdirSync(this.real(path)).sort()
    } catch {
      return []
    }
  }

  /** The canonical machine path (symlinks resolved), or undefined when it doesn't exist. */
  resolve(path: string): string | undefined {
    try {
      const real = realpathSync(this.real(path))
      if (this.root === '/') {
        return real
      }
      const relative = posix.relative(realpathSync(this.root), real)
      return relative.startsWith('..') ? undefined : `/${relative}`
    } catch {
      return undefined
    }
  }

  lstat(path: string): Stats | undefined {
    try {
      return lstatSync(this.real(path))
    } catch {
      return undefined
    }
  }

  stat(path: string): Stats | undefined {
    try {
      return statSync(this.real(path))
    } catch {
      return undefined
    }
  }

  statfs(path: string): StatsFs | undefined {
    try {
      return statfsSync(this.real(path))
    } catch {
      return undefined
    }
  }

  isDirectory(path: string): boolean {
    return this.stat(path)?.isDirectory() ?? false
  }

  exists(path: string): boolean {
    return this.lstat(path) !== undefined
  }
}

/** Parses `KEY=value` lines (os-release style), unquoting double- or single-quoted values. */
export function parseKeyValues(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=')
    if (eq <= 0 || line.trimStart().startsWith('#')) {
      continue
    }
    let value = line.slice(eq + 1).trim()
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
      value = value.slice(1, -1)
    }
    out.set(line.slice(0, eq).trim(), value)
  }
  return out
}

/** Parses `Key: value` lines (/proc/meminfo, /proc/<pid>/status, /proc/cpuinfo blocks). */
export function parseColonValues(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) {
      out.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
    }
  }
  return out
}
