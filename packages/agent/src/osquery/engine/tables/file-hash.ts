import { createHash } from 'node:crypto'
import { closeSync, openSync, readSync, type Stats } from 'node:fs'
import { posix } from 'node:path'
import type { HostFs } from '../host-fs.js'
import { RequiredColumnError, cols, type TableRow, type TableSpec } from '../table.js'
import { NAMESPACE_COLUMNS, namespaceFs } from './namespaces.js'
import { hasPathConstraint, targetPaths } from './path-patterns.js'

function fileType(stats: Stats): string {
  if (stats.isFile()) {
    return 'regular'
  }
  if (stats.isDirectory()) {
    return 'directory'
  }
  if (stats.isSymbolicLink()) {
    return 'symlink'
  }
  if (stats.isCharacterDevice()) {
    return 'character'
  }
  if (stats.isBlockDevice()) {
    return 'block'
  }
  if (stats.isFIFO()) {
    return 'fifo'
  }
  return stats.isSocket() ? 'socket' : 'unknown'
}

const seconds = (ms: number): number => Math.floor(ms / 1000)

/** Where a symlink points, as an absolute machine path (relative targets resolved). */
function symlinkTarget(fs: HostFs, path: string): string {
  const target = fs.readLink(path)
  if (target === undefined) {
    return ''
  }
  return posix.resolve(posix.dirname(path), target)
}

/** One `file` row: lstat for the symlink flag, stat (following links) for everything else. */
export function fileRow(fs: HostFs, path: string, directory: string): TableRow | undefined {
  const link = fs.lstat(path)
  if (!link) {
    return undefined
  }
  const stats = fs.stat(path) ?? link
  const isLink = link.isSymbolicLink()
  return {
    path,
    directory,
    filename: posix.basename(path),
    inode: stats.ino,
    uid: stats.uid,
    gid: stats.gid,
    mode: (stats.mode & 0o7777).toString(8).padStart(4, '0'),
    device: stats.rdev,
    size: stats.size,
    block_size: stats.blksize,
    atime: seconds(stats.atimeMs),
    mtime: seconds(stats.mtimeMs),
    ctime: seconds(stats.ctimeMs),
    btime: seconds(stats.birthtimeMs),
    hard_links: stats.nlink,
    symlink: isLink ? 1 : 0,
    type: fileType(stats),
    symlink_target_path: isLink ? symlinkTarget(fs, path) : '',
  }
}

/** md5, sha1 and sha256 of a regular file, read in 1 MiB chunks; undefined when unreadable. */
export function hashFile(
  fs: HostFs,
  path: string,
): Record<'md5' | 'sha1' | 'sha256', string> | undefined {
  if (!fs.stat(path)?.isFile()) {
    return undefined
  }
  const hashes = { md5: createHash('md5'), sha1: createHash('sha1'), sha256: createHash('sha256') }
  let fd: number | undefined
  try {
    fd = openSync(fs.real(path), 'r')
    const buffer = Buffer.alloc(1 << 20)
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      for (const hash of Object.values(hashes)) {
        hash.update(buffer.subarray(0, n))
      }
    }
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) {
      closeSync(fd)
    }
  }
  return {
    md5: hashes.md5.digest('hex'),
    sha1: hashes.sha1.digest('hex'),
    sha256: hashes.sha256.digest('hex'),
  }
}

/**
 * file: metadata of the paths a query names. Like osquery, `path` or `directory` must be
 * constrained (`=`, `IN`, or `LIKE` with `%` within a component and `%%` recursively); without
 * one the query fails with "constraint failed".
 */
export const fileTable: TableSpec = {
  name: 'file',
  columns: cols(
    'path directory filename inode:BIGINT uid:BIGINT gid:BIGINT mode device:BIGINT size:BIGINT ' +
      'block_size:INTEGER atime:BIGINT mtime:BIGINT ctime:BIGINT btime:BIGINT ' +
      'hard_links:INTEGER symlink:INTEGER type symlink_target_path',
  ),
  foreign: [
    'attributes',
    'volume_serial',
    'file_id',
    'file_version',
    'product_version',
    'original_filename',
    'shortcut_target_path',
    'shortcut_target_type',
    'shortcut_target_location',
    'shortcut_start_in',
    'shortcut_run',
    'shortcut_comment',
    'bsd_flags',
  ],
  hidden: NAMESPACE_COLUMNS,
  *rows(context, args) {
    const hints = context.hints()
    if (!hasPathConstraint(hints)) {
      throw new RequiredColumnError('file')
    }
    const fs = namespaceFs(context, args)
    for (const target of fs ? targetPaths(fs, hints) : []) {
      const row = fs && fileRow(fs, target.path, target.directory)
      if (row) {
        yield row
      }
    }
  },
}

/** hash: md5/sha1/sha256 of the regular files a query names (same required columns as `file`). */
export const hashTable: TableSpec = {
  name: 'hash',
  columns: cols('path directory md5 sha1 sha256'),
  hidden: NAMESPACE_COLUMNS,
  *rows(context, args) {
    const hints = context.hints()
    if (!hasPathConstraint(hints)) {
      throw new RequiredColumnError('hash')
    }
    const fs = namespaceFs(context, args)
    for (const target of fs ? targetPaths(fs, hints) : []) {
      const digests = fs && hashFile(fs, target.path)
      if (digests) {
        yield { path: target.path, directory: target.directory, ...digests }
      }
    }
  },
}
