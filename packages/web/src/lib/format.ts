/** "3 minutes ago", "2 days ago": how long since an ISO time, for last-seen and activity lists. */
export function timeAgo(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso)
  if (Number.isNaN(then) || then <= 0 || iso.startsWith('0001-') || iso.startsWith('1970-')) {
    return 'never'
  }
  const seconds = Math.max(0, Math.round((now - then) / 1000))
  const units: [string, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ]
  for (const [unit, size] of units) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size)
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`
    }
  }
  return 'just now'
}

/** An activity type as a sentence start: `created_policy` → "Created policy". */
export function activityText(type: string): string {
  const words = type.replace(/_/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Bytes as GB/MB with one decimal: host memory. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) {
    return `${(bytes / 1024 ** 3).toFixed(1)} GB`
  }
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`
}
