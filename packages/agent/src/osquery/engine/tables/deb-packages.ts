import type { HostFs } from '../host-fs.js'
import { cols, type TableContext, type TableRow, type TableSpec } from '../table.js'
import { NAMESPACE_COLUMNS, namespaceFs } from './namespaces.js'

const DEFAULT_ADMINDIR = '/var/lib/dpkg'

/** The stanzas of a dpkg status file: field → value (continuation lines joined with \n). */
export function parseDpkgStatus(text: string): Map<string, string>[] {
  const stanzas: Map<string, string>[] = []
  let current = new Map<string, string>()
  let last = ''
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (current.size > 0) {
        stanzas.push(current)
      }
      current = new Map()
    } else if (line.startsWith(' ') || line.startsWith('\t')) {
      current.set(last, `${current.get(last) ?? ''}\n${line.trim()}`)
    } else {
      const colon = line.indexOf(':')
      if (colon > 0) {
        last = line.slice(0, colon)
        current.set(last, line.slice(colon + 1).trim())
      }
    }
  }
  if (current.size > 0) {
    stanzas.push(current)
  }
  return stanzas
}

/** The Debian revision of a version: what follows its last hyphen (`2.36-9+deb12u4` → `9+deb12u4`). */
export function debRevision(version: string): string {
  const hyphen = version.lastIndexOf('-')
  return hyphen < 0 ? '' : version.slice(hyphen + 1)
}

function packageRow(stanza: Map<string, string>, admindir: string): TableRow {
  const version = stanza.get('Version') ?? ''
  return {
    name: stanza.get('Package'),
    version,
    source: (stanza.get('Source') ?? '').split(' ')[0] ?? '',
    size: stanza.get('Installed-Size'),
    arch: stanza.get('Architecture') ?? '',
    revision: debRevision(version),
    status: stanza.get('Status') ?? '',
    maintainer: stanza.get('Maintainer') ?? '',
    section: stanza.get('Section') ?? '',
    priority: stanza.get('Priority') ?? '',
    admindir,
  }
}

function readAdmindir(fs: HostFs, admindir: string): TableRow[] {
  const text = fs.readText(`${admindir.replace(/\/+$/, '')}/status`)
  if (text === undefined) {
    return []
  }
  return parseDpkgStatus(text)
    .filter(
      (stanza) => stanza.has('Package') && !/\bnot-installed$/.test(stanza.get('Status') ?? ''),
    )
    .map((stanza) => packageRow(stanza, admindir))
    .sort((a, b) => `${a.name}\u0000${a.arch}`.localeCompare(`${b.name}\u0000${b.arch}`))
}

function admindirs(context: TableContext): string[] {
  const asked = context
    .hints()
    .filter((hint) => hint.column === 'admindir' && hint.op === 'eq')
    .map((hint) => hint.value)
  return [...new Set([DEFAULT_ADMINDIR, ...asked])]
}

/** deb_packages: the dpkg database (`<admindir>/status`; admindir defaults to /var/lib/dpkg). */
export const debPackagesTable: TableSpec = {
  name: 'deb_packages',
  columns: cols(
    'name version source size:BIGINT arch revision status maintainer section priority admindir',
  ),
  hidden: NAMESPACE_COLUMNS,
  *rows(context, args) {
    const fs = namespaceFs(context, args)
    for (const admindir of fs ? admindirs(context) : []) {
      yield* readAdmindir(fs ?? context.fs, admindir)
    }
  },
}
