import { FLAG_ALIASES, flagSpec, knownFlagNames, type FlagSpec } from './flag-defs.js'

/** A command line or flagfile that osqueryd would refuse (gflags' messages). */
export class FlagError extends Error {
  override name = 'FlagError'
}

/** What changed when the config tried to set an option. */
export type OptionOutcome = 'set' | 'unchanged' | 'unknown' | 'cli-only' | 'bad-type'

const TRUE = new Set(['true', '1', 'yes', 'y', 't'])
const FALSE = new Set(['false', '0', 'no', 'n', 'f'])
const MAX_FLAGFILE_DEPTH = 8

/**
 * The daemon's effective flags: osquery's defaults, then the command line and flagfiles in order
 * (later wins), then config `options` for runtime flags. Values are kept as osquery_flags shows
 * them ("true"/"false", decimal integers). The map is live: the engine sees option changes.
 */
export class Flags {
  private readonly values = new Map<string, string>()
  /** Names given on the command line or in a flagfile that osquery does not know. */
  readonly unknown = new Set<string>()

  constructor() {
    for (const name of knownFlagNames()) {
      const spec = flagSpec(name)
      if (spec) {
        this.values.set(name, spec.default)
      }
    }
  }

  /** The live name → value map (the engine's osquery_flags). */
  asMap(): ReadonlyMap<string, string> {
    return this.values
  }

  /** The flag's value as text ('' for an unknown name). */
  get(name: string): string {
    return this.values.get(canonical(name)) ?? ''
  }

  /** The flag read as a boolean (true, 1, yes, y, t). */
  bool(name: string): boolean {
    return TRUE.has(this.get(name).toLowerCase())
  }

  /** The flag as an integer, `fallback` when malformed. */
  int(name: string, fallback = 0): number {
    const value = Number(this.get(name))
    return Number.isFinite(value) ? Math.trunc(value) : fallback
  }

  /** Sets a flag from the command line; throws FlagError on a value of the wrong type. */
  setFromCli(rawName: string, value: string): void {
    const name = canonical(rawName)
    const spec = flagSpec(name)
    if (!spec) {
      this.unknown.add(name)
      this.values.set(name, value)
      return
    }
    this.values.set(name, normalize(name, spec, value))
  }

  /** Applies one config `options` entry, as osquery does: runtime flags only. */
  applyOption(rawName: string, value: unknown): OptionOutcome {
    const name = canonical(rawName)
    const spec = flagSpec(name)
    if (!spec) {
      return 'unknown'
    }
    if (!spec.runtime) {
      return 'cli-only'
    }
    const text =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : undefined
    if (text === undefined) {
      return 'bad-type'
    }
    let normalized: string
    try {
      normalized = normalize(name, spec, text)
    } catch {
      return 'bad-type'
    }
    if (this.values.get(name) === normalized) {
      return 'unchanged'
    }
    this.values.set(name, normalized)
    return 'set'
  }
}

/** Flag names use underscores; orbit and users sometimes type dashes. Aliases map to their flag. */
function canonical(name: string): string {
  const underscored = name.replace(/-/g, '_')
  return FLAG_ALIASES[underscored] ?? underscored
}

function normalize(name: string, spec: FlagSpec, value: string): string {
  switch (spec.type) {
    case 'bool': {
      const lower = value.trim().toLowerCase()
      if (TRUE.has(lower)) {
        return 'true'
      }
      if (FALSE.has(lower)) {
        return 'false'
      }
      throw new FlagError(`illegal value '${value}' specified for bool flag '${name}'`)
    }
    case 'int':
    case 'uint': {
      const trimmed = value.trim()
      const ok = spec.type === 'int' ? /^-?\d+$/.test(trimmed) : /^\d+$/.test(trimmed)
      if (!ok) {
        throw new FlagError(`illegal value '${value}' specified for ${spec.type} flag '${name}'`)
      }
      return String(Number(trimmed))
    }
    case 'string':
      return value
  }
}

/** Reads a flagfile's text; injected so tests need no files. */
export type ReadText = (path: string) => string

/** The outcome of parsing osqueryd's command line. */
export interface ParsedFlags {
  flags: Flags
  /** Arguments that are not flags (osqueryd ignores them). */
  positional: string[]
}

/**
 * Parses osqueryd's command line the way gflags does: `--name=value`, `--name value` (non-bool
 * flags take the next argument), `--name` / `--noname` for booleans, single or double dash,
 * `--flagfile <path>` read in place (one flag per line, `#` comments), and `--` ends the flags.
 * An unknown flag is recorded rather than refused (osquery exits with "unknown command line
 * flag"; fleetd must not die on a flag of a newer osquery); it takes the next argument as its
 * value only when that does not look like a flag.
 */
export function parseFlags(argv: readonly string[], readText: ReadText): ParsedFlags {
  const flags = new Flags()
  const positional: string[] = []
  parseInto(flags, argv, readText, positional, 0)
  return { flags, positional }
}

function parseInto(
  flags: Flags,
  argv: readonly string[],
  readText: ReadText,
  positional: string[],
  depth: number,
): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--') {
      positional.push(...argv.slice(i + 1))
      return
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg)
      continue
    }
    const body = arg.replace(/^--?/, '')
    const eq = body.indexOf('=')
    const name = canonical(eq >= 0 ? body.slice(0, eq) : body)
    const inline = eq >= 0 ? body.slice(eq + 1) : undefined
    const next = argv[i + 1]
    const takeNext = (): string => {
      if (next === undefined) {
        throw new FlagError(`flag '${name}' is missing its argument`)
      }
      i++
      return next
    }

    if (name === 'flagfile') {
      const path = inline ?? takeNext()
      flags.setFromCli('flagfile', path)
      parseInto(flags, readFlagfile(path, readText, depth), readText, positional, depth + 1)
      continue
    }
    const spec = flagSpec(name)
    if (spec?.type === 'bool') {
      flags.setFromCli(name, inline ?? 'true')
    } else if (spec) {
      flags.setFromCli(name, inline ?? takeNext())
    } else if (inline === undefined && name.startsWith('no') && flagSpec(name.slice(2))) {
      if (flagSpec(name.slice(2))?.type !== 'bool') {
        throw new FlagError(`boolean value (${name}) specified for non-bool flag`)
      }
      flags.setFromCli(name.slice(2), 'false')
    } else if (inline !== undefined) {
      flags.setFromCli(name, inline)
    } else if (next !== undefined && !next.startsWith('-')) {
      flags.setFromCli(name, takeNext())
    } else {
      flags.setFromCli(name, 'true')
    }
  }
}

/**
 * A flagfile's lines as arguments: blank lines and `#` comments skipped, lines not starting with
 * a dash ignored (gflags treats those as file-name filters), `--name value` split once.
 */
export function readFlagfile(path: string, readText: ReadText, depth = 0): string[] {
  if (depth >= MAX_FLAGFILE_DEPTH) {
    throw new FlagError(`flagfile nesting too deep at ${path}`)
  }
  let text: string
  try {
    text = readText(path)
  } catch (err) {
    throw new FlagError(`cannot read flagfile ${path}: ${errorText(err)}`)
  }
  const args: string[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || !line.startsWith('-')) {
      continue
    }
    const space = line.search(/\s/)
    if (!line.includes('=') && space > 0) {
      args.push(line.slice(0, space), line.slice(space).trim())
    } else {
      args.push(line)
    }
  }
  return args
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
