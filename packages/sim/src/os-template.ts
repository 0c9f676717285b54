import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ResultRow } from '@fleet/api'
import { z } from 'zod'
import { isRecord } from './body-parsers.js'
import { parseNamedVersions, type NamedVersion } from './inventory.js'
import { executeBlock } from './template/exec.js'
import { parseTemplate, type ParsedTemplate } from './template/parser.js'

/** The three osquery platform families that matter for schedules and answers. */
export type PlatformFamily = 'darwin' | 'linux' | 'windows'

/** One OS's osquery-perf template file: an `enroll` block and one block per known query. */
export interface OsTemplate {
  /** File name without `.tmpl`, e.g. `windows_11`. */
  name: string
  /** `host_details.os_version.platform` of the enroll body, e.g. `ubuntu`. */
  platform: string
  family: PlatformFamily
  /** Every block name, `enroll` included. */
  blocks: readonly string[]
  has(block: string): boolean
  /** The block's text, executed with `data` as `.`. */
  render(block: string, data: unknown): string
}

/**
 * The package's own copy of Fleet's osquery-perf templates, `packages/sim/templates` (this file is in
 * packages/sim/{src,dist}), so the simulator needs nothing beside the repository. See its NOTICE.md.
 */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../templates', import.meta.url))

/**
 * The directory holding the `.tmpl` files: `<dir>/osquery-perf` when it exists, else `dir`; the
 * package's templates when no directory is given.
 */
export function templatesDir(fixturesDir: string = DEFAULT_TEMPLATES_DIR): string {
  const nested = join(fixturesDir, 'osquery-perf')
  return existsSync(nested) ? nested : fixturesDir
}

/** Parses a template file; it must have an `enroll` block whose output is JSON. */
export function parseOsTemplate(name: string, source: string): OsTemplate {
  const parsed = parseTemplate(source, `${name}.tmpl`)
  if (!parsed.blocks.has('enroll')) {
    throw new Error(`${name}.tmpl has no {{ define "enroll" }} block`)
  }
  const platform = enrollPlatform(parsed)
  return {
    name,
    platform,
    family: platformFamily(platform),
    blocks: [...parsed.blocks.keys()],
    has: (block) => parsed.blocks.has(block),
    render: (block, data) => executeBlock(parsed, block, data),
  }
}

/**
 * Reads `<dir>/<name>.tmpl` (a trailing `.tmpl` in `name` is allowed).
 * @throws Error naming the templates that do exist when there is no such file
 */
export async function loadOsTemplate(dir: string, name: string): Promise<OsTemplate> {
  const base = name.replace(/\.tmpl$/, '')
  const path = join(dir, `${base}.tmpl`)
  let source: string
  try {
    source = await readFile(path, 'utf8')
  } catch (err) {
    const available = (await readdir(dir).catch(() => []))
      .filter((f) => f.endsWith('.tmpl'))
      .map((f) => f.slice(0, -'.tmpl'.length))
    throw new Error(
      `no OS template "${base}" in ${dir} (available: ${available.join(', ') || 'none'})`,
      { cause: err },
    )
  }
  return parseOsTemplate(base, source)
}

/** `macos_vulnerable.software` from the templates directory, or an empty list without it. */
export async function loadVulnerableSoftware(dir: string): Promise<NamedVersion[]> {
  const text = await readFile(join(dir, 'macos_vulnerable.software'), 'utf8').catch(() => '')
  return parseNamedVersions(text)
}

/** Renders a query block and parses it as result rows. @throws when it is not a JSON array of objects */
export function renderRows(template: OsTemplate, block: string, data: unknown): ResultRow[] {
  const text = template.render(block, data)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new Error(`${template.name}.tmpl block ${block} is not JSON`, { cause: err })
  }
  if (!Array.isArray(json) || !json.every(isRecord)) {
    throw new Error(`${template.name}.tmpl block ${block} is not an array of rows`)
  }
  return json
}

export function platformFamily(platform: string): PlatformFamily {
  switch (platform) {
    case 'darwin':
    case 'windows':
      return platform
    default:
      return 'linux'
  }
}

const EnrollPlatform = z.object({
  host_details: z.object({ os_version: z.object({ platform: z.string() }) }),
})

/** Renders `enroll` with placeholder data to read the OS platform and prove the block is JSON. */
function enrollPlatform(parsed: ParsedTemplate): string {
  const probe = {
    EnrollSecret: '',
    UUID: '',
    CachedString: () => '',
    ConfigInterval: { Seconds: () => 0 },
    QueryInterval: { Seconds: () => 0 },
    HostUsersMacOS: [],
    SoftwareMacOS: [],
  }
  const text = executeBlock(parsed, 'enroll', probe)
  const result = EnrollPlatform.safeParse(JSON.parse(text))
  if (!result.success) {
    throw new Error(`${parsed.name} enroll block lacks host_details.os_version.platform`)
  }
  return result.data.host_details.os_version.platform
}
