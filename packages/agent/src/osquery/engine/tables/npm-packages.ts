import { posix } from 'node:path'
import type { HostFs } from '../host-fs.js'
import { cols, type TableContext, type TableRow, type TableSpec } from '../table.js'
import { NAMESPACE_COLUMNS, namespaceFs } from './namespaces.js'

/** Global node_modules directories of Linux npm installs. */
const GLOBAL_DIRS = ['/usr/lib/node_modules', '/usr/local/lib/node_modules']

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function field(manifest: Record<string, unknown>, key: string): string {
  const value = manifest[key]
  if (typeof value === 'string') {
    return value
  }
  // "author": { "name": …, "email": … } and "license": { "type": … } are common too.
  if (isRecord(value)) {
    const inner = value.name ?? value.type
    return typeof inner === 'string' ? inner : ''
  }
  return ''
}

function packageDirs(fs: HostFs, nodeModules: string): string[] {
  return fs.list(nodeModules).flatMap((entry) => {
    if (entry.startsWith('.')) {
      return []
    }
    const dir = posix.join(nodeModules, entry)
    return entry.startsWith('@') ? fs.list(dir).map((name) => posix.join(dir, name)) : [dir]
  })
}

function readManifest(fs: HostFs, dir: string): Record<string, unknown> | undefined {
  const text = fs.readText(posix.join(dir, 'package.json'))
  if (text === undefined) {
    return undefined
  }
  try {
    const parsed: unknown = JSON.parse(text)
    return isRecord(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

/** The packages directly inside one node_modules directory (`directory` is its parent). */
export function npmPackagesIn(fs: HostFs, nodeModules: string, directory: string): TableRow[] {
  const rows: TableRow[] = []
  for (const dir of packageDirs(fs, nodeModules)) {
    const manifest = readManifest(fs, dir)
    if (!manifest) {
      continue
    }
    rows.push({
      name: field(manifest, 'name'),
      version: field(manifest, 'version'),
      description: field(manifest, 'description'),
      author: field(manifest, 'author'),
      license: field(manifest, 'license'),
      homepage: field(manifest, 'homepage'),
      path: dir,
      directory,
    })
  }
  return rows
}

function allPackages(context: TableContext, fs: HostFs): TableRow[] {
  const rows = GLOBAL_DIRS.flatMap((dir) => npmPackagesIn(fs, dir, dir))
  for (const hint of context.hints()) {
    if (hint.column === 'directory' && hint.op === 'eq' && !GLOBAL_DIRS.includes(hint.value)) {
      rows.push(...npmPackagesIn(fs, posix.join(hint.value, 'node_modules'), hint.value))
    }
  }
  return rows
}

/**
 * npm_packages: globally installed packages (/usr/lib/node_modules, /usr/local/lib/node_modules),
 * and a project's `<directory>/node_modules` when the query asks for `directory = '…'`.
 */
export const npmPackagesTable: TableSpec = {
  name: 'npm_packages',
  columns: cols('name version description author license homepage path directory'),
  hidden: NAMESPACE_COLUMNS,
  *rows(context, args) {
    const fs = namespaceFs(context, args)
    if (fs) {
      yield* allPackages(context, fs)
    }
  },
}
