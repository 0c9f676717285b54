import { readFileSync } from 'node:fs'

/** ../shared/fixtures/osquery-perf beside the repository. */
const FIXTURES = new URL('../../../../../shared/fixtures/osquery-perf/', import.meta.url)

export interface FixtureHost {
  uuid: string
  hostname: string
  enrollSecret: string
}

/**
 * One `{{ define "name" }}` block of a real osquery-perf template, with the host's values
 * substituted, parsed as JSON. Supports the placeholders the blocks used by server tests need.
 */
export function fixtureBlock(
  template: 'ubuntu_22.04' | 'windows_11' | 'mac10.14.6',
  name: string,
  host: FixtureHost,
): unknown {
  const source = readFileSync(new URL(`${template}.tmpl`, FIXTURES), 'utf8')
  const start = source.indexOf(`{{ define "${name}" -}}`)
  if (start < 0) {
    throw new Error(`${template}.tmpl has no block "${name}"`)
  }
  const bodyStart = source.indexOf('-}}', start) + 3
  const bodyEnd = source.indexOf('{{- end }}', bodyStart)
  const body = source
    .slice(bodyStart, bodyEnd)
    .replace(/\{\{\s*\.EnrollSecret\s*\}\}/g, host.enrollSecret)
    .replace(/\{\{\s*\.UUID\s*\}\}/g, host.uuid)
    .replace(/\{\{\s*\.CachedString "hostname"\s*\}\}/g, host.hostname)
    .replace(/\{\{\s*\.(ConfigInterval|QueryInterval)\.Seconds\s*\}\}/g, '10')
  if (body.includes('{{')) {
    throw new Error(`block "${name}" of ${template}.tmpl uses template features this reader lacks`)
  }
  return JSON.parse(body)
}
