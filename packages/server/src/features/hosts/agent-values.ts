/**
 * Agents are not trusted: every value from osquery is read through these helpers, which accept
 * only what fits (strings without NULs, bounded; finite numbers) and fall back otherwise.
 */

/** Text from an agent: NULs removed, trimmed, cut to `max` characters. */
export function text(value: unknown, max = 255): string {
  if (typeof value !== 'string' && typeof value !== 'number') {
    return ''
  }
  return String(value).replaceAll('\u0000', '').trim().slice(0, max)
}

/** An integer from an agent ("123" or 123), or `fallback`. */
export function int(value: unknown, fallback = 0): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)
        ? Number(value)
        : Number.NaN
  return Number.isSafeInteger(n) ? n : fallback
}

/** A finite decimal number from an agent, or `fallback`. */
export function float(value: unknown, fallback = 0): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN
  return Number.isFinite(n) ? n : fallback
}
