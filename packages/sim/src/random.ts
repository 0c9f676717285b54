/**
 * Small seeded pseudo-random numbers, so that `--seed` gives every simulated host the same
 * identity, inventory and behaviour on every run. Not for anything security-related.
 */

/** A generator of numbers in [0, 1) with helpers. Keeps 4 bytes of state. */
export interface Rng {
  next(): number
  /** An integer in [0, max). */
  int(max: number): number
  /** `count` random hex digits, lower case. */
  hex(count: number): string
}

/** mulberry32: fast, 32-bit state, good enough spread for simulation. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (max) => Math.floor(next() * max),
    hex: (count) => {
      let out = ''
      while (out.length < count) {
        out += Math.floor(next() * 0x100000000)
          .toString(16)
          .padStart(8, '0')
      }
      return out.slice(0, count)
    },
  }
}

/** A 32-bit seed derived from parts (FNV-1a over their text), for per-host and per-purpose streams. */
export function deriveSeed(...parts: Array<string | number>): number {
  let hash = 0x811c9dc5
  for (const char of parts.join('\u0000')) {
    hash ^= char.codePointAt(0) ?? 0
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}
