/** Go's fmt, as far as templates need it: `%v %s %d %f %g %q %t %x %%` with flags, width, precision. */

/** How Go prints a value with `{{ . }}` or `%v`. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) {
    return '<nil>'
  }
  if (Array.isArray(value)) {
    return `[${value.map(formatValue).join(' ')}]`
  }
  switch (typeof value) {
    case 'string':
      return value
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value)
    case 'object':
      return `map[${Object.entries(value)
        .map(([k, v]) => `${k}:${formatValue(v)}`)
        .join(' ')}]`
    default:
      return String(value)
  }
}

const DIRECTIVE = /%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g

/**
 * `fmt.Sprintf` for the verbs templates use.
 * @example sprintf('%.0f', [60]) === '60'
 */
export function sprintf(format: string, args: readonly unknown[]): string {
  let next = 0
  return format.replace(
    DIRECTIVE,
    (_match, flags: string, width?: string, precision?: string, verb = '') => {
      if (verb === '%') {
        return '%'
      }
      if (next >= args.length) {
        return `%!${verb}(MISSING)`
      }
      const text = formatVerb(
        verb,
        args[next++],
        precision === undefined ? undefined : Number(precision),
      )
      return pad(text, width === undefined ? 0 : Number(width), flags)
    },
  )
}

function formatVerb(verb: string, arg: unknown, precision: number | undefined): string {
  switch (verb) {
    case 'v':
    case 's':
      return formatValue(arg)
    case 'd':
      return typeof arg === 'number' ? String(Math.trunc(arg)) : `%!d(${formatValue(arg)})`
    case 'f':
    case 'F':
      return typeof arg === 'number' ? arg.toFixed(precision ?? 6) : `%!f(${formatValue(arg)})`
    case 'g':
      return typeof arg === 'number'
        ? precision === undefined
          ? String(arg)
          : String(Number(arg.toPrecision(precision)))
        : `%!g(${formatValue(arg)})`
    case 'q':
      return JSON.stringify(formatValue(arg))
    case 't':
      return typeof arg === 'boolean' ? String(arg) : `%!t(${formatValue(arg)})`
    case 'x':
    case 'X': {
      const hex =
        typeof arg === 'number'
          ? Math.trunc(arg).toString(16)
          : Buffer.from(formatValue(arg)).toString('hex')
      return verb === 'X' ? hex.toUpperCase() : hex
    }
    default:
      return `%!${verb}(${formatValue(arg)})`
  }
}

function pad(text: string, width: number, flags: string): string {
  if (text.length >= width) {
    return text
  }
  if (flags.includes('-')) {
    return text.padEnd(width)
  }
  if (flags.includes('0') && /^-?[0-9.]+$/.test(text)) {
    const negative = text.startsWith('-')
    const digits = negative ? text.slice(1) : text
    return (negative ? '-' : '') + digits.padStart(width - (negative ? 1 : 0), '0')
  }
  return text.padStart(width)
}
