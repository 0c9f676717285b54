import { z } from 'zod'
import { DEFAULT_INVENTORY } from './inventory.js'

const Weighted = z.object({ name: z.string().min(1), weight: z.number().int().min(1) })
export type WeightedTemplate = z.infer<typeof Weighted>

const ms = (fallback: number) => z.number().positive().default(fallback)
const count = (fallback: number) => z.number().int().min(0).default(fallback)

/**
 * Everything a simulation takes, with osquery-perf's defaults. Durations are milliseconds here
 * (the CLI takes seconds).
 */
export const SimulationOptions = z.object({
  serverUrl: z.string().url().default('https://localhost:8080'),
  enrollSecret: z.string().min(1),
  hostCount: z.number().int().min(1).max(1_000_000).default(10),
  /**
   * Index of the first host. Processes run with offsets 0, N, 2N… (and the same seed) simulate
   * distinct hosts, to spread a large simulation over several cores.
   */
  hostOffset: z.number().int().min(0).default(0),
  /** OS templates and their weights; host i gets template i by weighted round-robin. */
  osTemplates: z
    .array(Weighted)
    .min(1)
    .default([{ name: 'ubuntu_22.04', weight: 1 }]),
  /** A directory of osquery-perf templates (or holding an `osquery-perf` folder); default: the package's. */
  fixturesDir: z.string().optional(),
  configIntervalMs: ms(60_000),
  queryIntervalMs: ms(10_000),
  loggerIntervalMs: ms(10_000),
  /** Host starts are spread evenly over this period, so load ramps up. */
  startPeriodMs: z.number().min(0).default(10_000),
  /** Each loop's period varies by ± this fraction of its interval. */
  jitter: z.number().min(0).max(1).default(0.1),
  insecure: z.boolean().default(false),
  /** PEM text of the CA(s) to trust. */
  ca: z.string().optional(),
  connections: z.number().int().min(1).max(100_000).default(64),
  requestTimeoutMs: ms(30_000),
  /** Same seed, same hosts (UUIDs, serials, inventories, answers); random when absent. */
  seed: z.number().int().optional(),
  policyPassProb: z.number().min(0).max(1).default(1),
  /** Per host and log type: unsent lines beyond this are dropped, oldest first. */
  logBufferMax: z.number().int().min(1).default(100),
  /** Lines per `/api/osquery/log` request (osquery's `logger_tls_max_lines`). */
  logBatchMax: z.number().int().min(1).default(1024),
  inventory: z
    .object({
      commonUsers: count(DEFAULT_INVENTORY.commonUsers),
      uniqueUsers: count(DEFAULT_INVENTORY.uniqueUsers),
      commonSoftware: count(DEFAULT_INVENTORY.commonSoftware),
      uniqueSoftware: count(DEFAULT_INVENTORY.uniqueSoftware),
      vulnerableSoftware: count(DEFAULT_INVENTORY.vulnerableSoftware),
    })
    .prefault({}),
})

/** What callers pass: only `enrollSecret` is required. */
export type SimulationInput = z.input<typeof SimulationOptions>
/** Options with every default filled in. */
export type SimulationConfig = z.output<typeof SimulationOptions>

/**
 * Parses `ubuntu_22.04:3,windows_11:1,mac10.14.6` (weight 1 when omitted; `.tmpl` allowed).
 * @throws Error on an empty list or a weight that is not a positive integer
 */
export function parseOsTemplates(spec: string): WeightedTemplate[] {
  const out: WeightedTemplate[] = []
  for (const part of spec.split(',')) {
    const item = part.trim()
    if (item === '') {
      continue
    }
    const colon = item.lastIndexOf(':')
    const name = (colon === -1 ? item : item.slice(0, colon)).trim().replace(/\.tmpl$/, '')
    const weightText = colon === -1 ? '1' : item.slice(colon + 1).trim()
    const weight = Number(weightText)
    if (name === '' || !Number.isInteger(weight) || weight < 1) {
      throw new Error(`invalid OS template "${item}": expected name[:weight], weight ≥ 1`)
    }
    out.push({ name, weight })
  }
  if (out.length === 0) {
    throw new Error('no OS templates given')
  }
  return out
}

/** The template of host `index`: weighted round-robin, so any prefix of hosts keeps the ratios. */
export function templateForHost(index: number, templates: readonly WeightedTemplate[]): string {
  const total = templates.reduce((sum, t) => sum + t.weight, 0)
  let slot = index % total
  for (const t of templates) {
    if (slot < t.weight) {
      return t.name
    }
    slot -= t.weight
  }
  throw new Error('no OS templates')
}
