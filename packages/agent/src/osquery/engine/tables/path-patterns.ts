import { posix } from 'node:path'
import type { HostFs } from '../host-fs.js'
import type { ConstraintHint } from '../sql-scan.js'

/** Most paths one `%%` (recursive) pattern may expand to; osquery also bounds its globbing. */
const MAX_EXPANSION = 10_000

function componentRegex(component: string): RegExp {
  const escaped = component
    .split('')
    .map((ch) => {
      if (ch === '%') {
        return '.*'
      }
      if (ch === '_') {
        return '.'
      }
      return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('')
  return new RegExp(`^${escaped}$`)
}

function descendants(fs: HostFs, dir: string, out: string[]): void {
  for (const name of fs.list(dir)) {
    if (out.length >= MAX_EXPANSION) {
      return
    }
    const path = posix.join(dir, name)
    out.push(path)
    if (fs.lstat(path)?.isDirectory()) {
      descendants(fs, path, out)
    }
  }
}

function expandComponent(fs: HostFs, bases: string[], component: string): string[] {
  if (component === '%%') {
    const out: string[] = []
    for (const base of bases) {
      descendants(fs, base, out)
    }
    return out
  }
  if (!component.includes('%') && !component.includes('_')) {
    return bases.map((base) => posix.join(base, component))
  }
  const regex = componentRegex(component)
  return bases.flatMap((base) =>
    fs
      .list(base)
      .filter((name) => regex.test(name))
      .map((name) => posix.join(base, name)),
  )
}

/**
 * Expands an osquery path pattern: `%` matches within one path component, `%%` matches everything
 * below a directory, recursively (`/etc/%`, `/home/%/.ssh/%`, `/var/log/%%`). `_` is treated as a
 * one-character wildcard; SQLite's LIKE then filters the candidates exactly.
 */
export function expandPathPattern(fs: HostFs, pattern: string): string[] {
  if (!pattern.startsWith('/')) {
    return []
  }
  let paths = ['/']
  for (const component of pattern.split('/').filter(Boolean)) {
    paths = expandComponent(fs, paths, component)
    if (paths.length === 0) {
      break
    }
  }
  return paths.filter((path) => fs.lstat(path) !== undefined)
}

/** A path to report, with the `directory` column value it gets. */
export interface PathTarget {
  path: string
  directory: string
}

/**
 * The paths a file/hash query asks for: `path` equality and LIKE patterns, and the entries of
 * each `directory` (equality or pattern). Empty when the statement constrains neither column.
 */
export function targetPaths(fs: HostFs, hints: readonly ConstraintHint[]): PathTarget[] {
  const targets = new Map<string, PathTarget>()
  const add = (path: string, directory: string): void => {
    targets.set(`${path}\u0000${directory}`, { path, directory })
  }
  for (const hint of hints) {
    const values = hint.op === 'eq' ? [hint.value] : expandPathPattern(fs, hint.value)
    for (const value of values) {
      if (hint.column === 'path') {
        add(value, posix.dirname(value))
      } else if (hint.column === 'directory' && fs.isDirectory(value)) {
        for (const name of fs.list(value)) {
          add(posix.join(value, name), value)
        }
      }
    }
  }
  return [...targets.values()]
}

/** Whether the statement constrains `path` or `directory` (osquery's required columns). */
export function hasPathConstraint(hints: readonly ConstraintHint[]): boolean {
  return hints.some((hint) => hint.column === 'path' || hint.column === 'directory')
}
