import type { FastifyRequest } from 'fastify'
import { InvalidArgumentError } from '../errors/index.js'

/**
 * Parses a `multipart/form-data` body into its fields by name, files as their text (Fleet's
 * uploads are PEM certificates, profiles and scripts). So one contract serves both Fleet's
 * multipart uploads and JSON bodies. A repeated field keeps its first value under its name and
 * all of them, in order, under `<name>[]` (Fleet's list fields, e.g. `labels_include_any`); a
 * file's name is kept under `<name>.filename` (a DDM profile is named after its file).
 */
export function parseMultipartForm(
  contentType: string,
  body: Buffer,
): Record<string, string | string[]> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  const marker = boundary?.[1] ?? boundary?.[2]
  if (!marker) {
    throw InvalidArgumentError.field('base', 'failed to parse multipart form: no boundary')
  }
  const fields: Record<string, string | string[]> = {}
  const all = new Map<string, string[]>()
  const delimiter = Buffer.from(`--${marker}`)
  let start = body.indexOf(delimiter)
  while (start !== -1) {
    const partStart = start + delimiter.length
    if (body.subarray(partStart, partStart + 2).toString() === '--') {
      return fields
    }
    const next = body.indexOf(delimiter, partStart)
    if (next === -1) {
      break
    }
    const part = body.subarray(partStart + 2, next - 2) // CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n')
    const headers = headerEnd === -1 ? '' : part.subarray(0, headerEnd).toString('utf8')
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1]
    const filename = /content-disposition:[^\r\n]*\bfilename="([^"]*)"/i.exec(headers)?.[1]
    if (name !== undefined && headerEnd !== -1) {
      const value = part.subarray(headerEnd + 4).toString('utf8')
      const values = all.get(name) ?? []
      all.set(name, [...values, value])
      if (values.length === 0) {
        fields[name] = value
        if (filename !== undefined) {
          fields[`${name}.filename`] = filename
        }
      } else {
        fields[`${name}[]`] = [...values, value]
      }
    }
    start = next
  }
  throw InvalidArgumentError.field('base', 'failed to parse multipart form')
}

/** Fastify content-type parser for `multipart/form-data` (buffered, within the body limit). */
export function multipartBodyParser(
  request: FastifyRequest,
  body: Buffer,
  done: (err: Error | null, value?: unknown) => void,
): void {
  try {
    done(null, parseMultipartForm(request.headers['content-type'] ?? '', body))
  } catch (err) {
    done(err instanceof Error ? err : new Error(String(err)))
  }
}
