import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import type { LogDestination } from './log-destination.js'

export interface RotationOptions {
  /** A file reaching this size is rotated before the next write. */
  maxBytes: number
  /** Rotated files kept (newest first); 0 keeps all. */
  maxBackups: number
  /** Rotated files older than this are deleted; 0 keeps them. */
  maxAgeMs: number
  /** gzip rotated files. */
  compress: boolean
}

export interface FilesystemOptions {
  path: string
  rotation?: RotationOptions
  now?: () => Date
  /** Opens the file for appending (tests wrap the handle to make writes fail half-way). */
  openFile?: (path: string) => Promise<FileHandle>
}

/** `2026-11-22T10-04-05.123`: sortable, and valid in file names everywhere. */
function stamp(date: Date): string {
  return date.toISOString().replace(/:/g, '-').replace(/Z$/, '')
}

/**
 * JSON lines appended to a file (0600), optionally rotated by size: the full file becomes
 * `<name>-<UTC time><ext>` (gzipped when asked) and old backups are pruned by count and age.
 * Every line in the file is whole: a write that fails half-way (disk full) is cut back off, and
 * a file found ending mid-line (a crash, or a cut that failed) gets a newline before new lines.
 */
export class FilesystemDestination implements LogDestination {
  readonly kind = 'filesystem'
  readonly #path: string
  readonly #rotation: RotationOptions | undefined
  readonly #now: () => Date
  readonly #openFile: (path: string) => Promise<FileHandle>
  #file: FileHandle | undefined
  #size = 0
  /** The file ends mid-line: the next write starts with a newline. */
  #tornTail = false

  constructor(options: FilesystemOptions) {
    this.#path = options.path
    this.#rotation = options.rotation
    this.#now = options.now ?? (() => new Date())
    this.#openFile = options.openFile ?? ((path) => open(path, 'a', 0o600))
  }

  async write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) {
      return
    }
    const rotation = this.#rotation
    const file = await this.#open()
    const data = Buffer.from(`${this.#tornTail ? '\n' : ''}${lines.join('\n')}\n`)
    if (rotation && this.#size > 0 && this.#size + data.length > rotation.maxBytes) {
      await this.#rotate(rotation)
      return this.write(lines)
    }
    try {
      await file.appendFile(data)
    } catch (err) {
      await this.#cutBack(file)
      throw err
    }
    this.#size += data.length
    this.#tornTail = false
  }

  /** After a failed append, removes whatever part of it reached the file. */
  async #cutBack(file: FileHandle): Promise<void> {
    try {
      await file.truncate(this.#size)
    } catch {
      // Reopen next time, which finds the torn tail and starts with a newline.
      await this.close().catch(() => {})
    }
  }

  /** Opens (creating) the file, so a read-only or missing path fails at start, not per write. */
  async check(): Promise<void> {
    await this.#open()
  }

  async close(): Promise<void> {
    const file = this.#file
    this.#file = undefined
    await file?.close()
  }

  async #open(): Promise<FileHandle> {
    if (this.#file) {
      return this.#file
    }
    await mkdir(dirname(this.#path), { recursive: true })
    const file = await this.#openFile(this.#path)
    this.#size = (await file.stat()).size
    this.#tornTail = this.#size > 0 && (await lastByte(this.#path, this.#size)) !== 0x0a
    this.#file = file
    return file
  }

  #backupPrefix(): { dir: string; prefix: string; ext: string } {
    const ext = extname(this.#path)
    return {
      dir: dirname(this.#path),
      prefix: `${basename(this.#path, ext)}-`,
      ext,
    }
  }

  async #rotate(rotation: RotationOptions): Promise<void> {
    await this.close()
    const { dir, prefix, ext } = this.#backupPrefix()
    let backup = join(dir, `${prefix}${stamp(this.#now())}${ext}`)
    for (let n = 1; await exists(backup); n++) {
      backup = join(dir, `${prefix}${stamp(this.#now())}.${n}${ext}`)
    }
    await rename(this.#path, backup)
    if (rotation.compress) {
      await pipeline(createReadStream(backup), createGzip(), createWriteStream(`${backup}.gz`))
      await unlink(backup)
    }
    await this.#prune(rotation)
  }

  /**
   * Deletes backups beyond maxBackups (oldest first) and those whose time, in their name, is
   * older than maxAgeMs.
   */
  async #prune(rotation: RotationOptions): Promise<void> {
    const { dir, prefix } = this.#backupPrefix()
    const names = (await readdir(dir))
      .filter((name) => name.startsWith(prefix) && rotatedAt(name.slice(prefix.length)) !== null)
      .sort()
    const now = this.#now().getTime()
    const excess = rotation.maxBackups > 0 ? names.length - rotation.maxBackups : 0
    for (const [index, name] of names.entries()) {
      const at = rotatedAt(name.slice(prefix.length)) ?? now
      if (index < excess || (rotation.maxAgeMs > 0 && now - at > rotation.maxAgeMs)) {
        await unlink(join(dir, name))
      }
    }
  }
}

/** The time in a backup's name (`2026-11-22T10-04-05.123…`), or null if it has none. */
function rotatedAt(suffix: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})/.exec(suffix)
  if (!match) {
    return null
  }
  const ms = Date.parse(`${match[1]}T${match[2]}:${match[3]}:${match[4]}.${match[5]}Z`)
  return Number.isNaN(ms) ? null : ms
}

/** The byte at `size - 1` (the file is opened for appending, so it is read through another). */
async function lastByte(path: string, size: number): Promise<number | undefined> {
  const reader = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(1)
    const { bytesRead } = await reader.read(buffer, 0, 1, size - 1)
    return bytesRead === 1 ? buffer[0] : undefined
  } finally {
    await reader.close()
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
