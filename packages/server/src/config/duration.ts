const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
}

/**
 * Parses Go-style durations as Fleet's config uses them ("1h", "90s", "2h30m", "120h0m0s")
 * plus days ("5d"). Returns milliseconds, or undefined if the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim()
  if (trimmed === '0') {
    return 0
  }
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y
  let total = 0
  let index = 0
  while (index < trimmed.length) {
    part.lastIndex = index
    const match = part.exec(trimmed)
    if (!match) {
      return undefined
    }
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN)
    index = part.lastIndex
  }
  return index > 0 && Number.isFinite(total) ? Math.round(total) : undefined
}
