import Database from 'better-sqlite3'
import type { HostFs } from '../host-fs.js'
import { cols, type TableRow, type TableSpec } from '../table.js'
import { NAMESPACE_COLUMNS, namespaceFs } from './namespaces.js'

/** Where rpm ≥ 4.16 keeps its SQLite database (the second is Fedora/openSUSE's newer path). */
const RPMDB_PATHS = ['/var/lib/rpm/rpmdb.sqlite', '/usr/lib/sysimage/rpm/rpmdb.sqlite']

const TAG = {
  sha1: 269,
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  installTime: 1008,
  size: 1009,
  vendor: 1011,
  group: 1016,
  arch: 1022,
  sourceRpm: 1044,
} as const

const TYPE_INT32 = 4
const STRING_TYPES = new Set([6, 8, 9])

type HeaderValue = string | number

/**
 * Decodes an rpm header blob (as stored in rpmdb.sqlite's Packages.blob): big-endian index count
 * and data length, 16-byte index entries (tag, type, offset, count), then the data store.
 */
export function parseRpmHeader(blob: Buffer): Map<number, HeaderValue> {
  const values = new Map<number, HeaderValue>()
  if (blob.length < 8) {
    return values
  }
  const count = blob.readUInt32BE(0)
  const dataStart = 8 + count * 16
  if (dataStart > blob.length) {
    return values
  }
  for (let i = 0; i < count; i += 1) {
    const entry = 8 + i * 16
    const tag = blob.readUInt32BE(entry)
    const type = blob.readUInt32BE(entry + 4)
    const offset = dataStart + blob.readUInt32BE(entry + 8)
    if (offset >= blob.length) {
      continue
    }
    if (type === TYPE_INT32 && offset + 4 <= blob.length) {
      values.set(tag, blob.readUInt32BE(offset))
    } else if (STRING_TYPES.has(type)) {
      const end = blob.indexOf(0, offset)
      values.set(tag, blob.toString('utf8', offset, end < 0 ? blob.length : end))
    }
  }
  return values
}

function rpmRow(header: Map<number, HeaderValue>): TableRow {
  const text = (tag: number): string => String(header.get(tag) ?? '')
  return {
    name: text(TAG.name),
    version: text(TAG.version),
    release: text(TAG.release),
    source: text(TAG.sourceRpm),
    size: header.get(TAG.size),
    sha1: text(TAG.sha1),
    arch: text(TAG.arch),
    epoch: header.get(TAG.epoch),
    install_time: header.get(TAG.installTime),
    vendor: text(TAG.vendor),
    package_group: text(TAG.group),
  }
}

function readRpmDb(fs: HostFs): TableRow[] {
  const path = RPMDB_PATHS.find((candidate) => fs.exists(candidate))
  if (!path) {
    return []
  }
  let db: Database.Database | undefined
  try {
    db = new Database(fs.real(path), { readonly: true, fileMustExist: true })
    const rows: TableRow[] = []
    for (const raw of db.prepare('SELECT blob FROM Packages').iterate()) {
      const blob = typeof raw === 'object' && raw !== null && 'blob' in raw ? raw.blob : undefined
      if (Buffer.isBuffer(blob)) {
        const row = rpmRow(parseRpmHeader(blob))
        if (row.name !== '') {
          rows.push(row)
        }
      }
    }
    return rows
  } catch {
    return []
  } finally {
    db?.close()
  }
}

/**
 * rpm_packages: rpm's SQLite database (rpm ≥ 4.16). Older Berkeley DB and NDB databases are not
 * read (zero rows), nor are hosts without rpm.
 */
export const rpmPackagesTable: TableSpec = {
  name: 'rpm_packages',
  columns: cols(
    'name version release source size:BIGINT sha1 arch epoch:INTEGER install_time:INTEGER ' +
      'vendor package_group',
  ),
  hidden: NAMESPACE_COLUMNS,
  *rows(context, args) {
    const fs = namespaceFs(context, args)
    if (fs) {
      yield* readRpmDb(fs)
    }
  },
}
