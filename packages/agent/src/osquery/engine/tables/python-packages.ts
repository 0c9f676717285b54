import { posix } from 'node:path'
import { parseColonValues, type HostFs } from '../host-fs.js'
import { cols, type TableContext, type TableRow, type TableSpec } from '../table.js'
import { PID_NAMESPACE_COLUMN, namespaceFs } from './namespaces.js'
import { readPasswd } from './users-groups.js'

/** System site directories osquery searches; `python*` matches python3, python3.11, … */
const SYSTEM_PARENTS = ['/usr/local/lib', '/usr/lib']
const SITE_NAMES = ['dist-packages', 'site-packages']

function pythonDirs(fs: HostFs, parent: string): string[] {
  return fs
    .list(parent)
    .filter((name) => name.startsWith('python'))
    .map((name) => posix.join(parent, name))
}

function siteDirs(fs: HostFs, parents: readonly string[]): string[] {
  return parents
    .flatMap((parent) => pythonDirs(fs, parent))
    .flatMap((dir) => SITE_NAMES.map((site) => posix.join(dir, site)))
    .filter((dir) => fs.isDirectory(dir))
}

/** Site directories in a home: ~/.local/lib/python*\/site-packages and pyenv's versions. */
function homeSiteDirs(fs: HostFs, home: string): string[] {
  const pyenv = fs
    .list(posix.join(home, '.pyenv/versions'))
    .map((version) => posix.join(home, '.pyenv/versions', version, 'lib'))
  return siteDirs(fs, [posix.join(home, '.local/lib'), ...pyenv])
}

/** Parses a METADATA / PKG-INFO file (RFC 822 headers, until the first blank line). */
export function parsePythonMetadata(text: string): Map<string, string> {
  const blank = text.search(/\r?\n\r?\n/)
  return parseColonValues(blank < 0 ? text : text.slice(0, blank))
}

function metadataFile(fs: HostFs, entryPath: string): string | undefined {
  if (entryPath.endsWith('.dist-info')) {
    return fs.readText(`${entryPath}/METADATA`)
  }
  // An .egg-info is either a directory holding PKG-INFO or the PKG-INFO file itself.
  return fs.isDirectory(entryPath) ? fs.readText(`${entryPath}/PKG-INFO`) : fs.readText(entryPath)
}

function packagesIn(fs: HostFs, directory: string, uid: number | undefined): TableRow[] {
  const rows: TableRow[] = []
  for (const entry of fs.list(directory)) {
    if (!entry.endsWith('.dist-info') && !entry.endsWith('.egg-info')) {
      continue
    }
    const path = posix.join(directory, entry)
    const text = metadataFile(fs, path)
    if (text === undefined) {
      continue
    }
    const meta = parsePythonMetadata(text)
    rows.push({
      name: meta.get('Name') ?? '',
      uid,
      version: meta.get('Version') ?? '',
      summary: meta.get('Summary') ?? '',
      author: meta.get('Author') ?? meta.get('Author-email') ?? '',
      license: meta.get('License') ?? meta.get('License-Expression') ?? '',
      path,
      directory,
    })
  }
  return rows
}

function allPackages(context: TableContext, fs: HostFs): TableRow[] {
  const rows = siteDirs(fs, SYSTEM_PARENTS).flatMap((dir) => packagesIn(fs, dir, undefined))
  const homes = new Map<string, number>()
  for (const user of readPasswd(fs)) {
    if (user.directory.startsWith('/') && user.directory !== '/' && !homes.has(user.directory)) {
      homes.set(user.directory, user.uid)
    }
  }
  for (const [home, uid] of homes) {
    rows.push(...homeSiteDirs(fs, home).flatMap((dir) => packagesIn(fs, dir, uid)))
  }
  const asked = context.hints().filter((hint) => hint.column === 'directory' && hint.op === 'eq')
  for (const hint of asked) {
    rows.push(...packagesIn(fs, hint.value, undefined))
  }
  return rows
}

/**
 * python_packages: dist-info and egg-info metadata in the system's dist-/site-packages, each user's
 * ~/.local and pyenv site-packages (with that user's uid), and any `directory = '…'` asked for.
 */
export const pythonPackagesTable: TableSpec = {
  name: 'python_packages',
  columns: cols('name uid:BIGINT version summary author license path directory'),
  hidden: PID_NAMESPACE_COLUMN,
  *rows(context, args) {
    const fs = namespaceFs(context, args)
    if (fs) {
      yield* allPackages(context, fs)
    }
  },
}
