import { z } from 'zod'

/** Integer from a query string or JSON number. */
export const IntLike = z.coerce.number().int()

/** Path parameter `:id`, a positive integer. */
export const IdParams = z.object({ id: z.coerce.number().int().positive() })

/**
 * Fleet's list parameters: `page` is 0-based; `order_direction` needs `order_key`. Paging follows
 * Fleet (see {@link listWindow}): neither `page` nor `per_page` lists everything.
 */
export const ListQuery = z.object({
  page: z.coerce.number().int().min(0).optional(),
  per_page: z.coerce.number().int().min(1).max(10_000).optional(),
  order_key: z.string().max(64).optional(),
  order_direction: z.enum(['asc', 'desc']).default('asc'),
  query: z.string().max(256).optional(),
})
export type ListQuery = z.infer<typeof ListQuery>

/** Fleet's page size when `page` is given without `per_page`. */
export const DEFAULT_PER_PAGE = 20

/**
 * Which results a list request asks for, by Fleet's rule: with neither `page` nor `per_page`,
 * all of them (real `fleetctl get hosts` shows every host this way); with `page` alone, pages of
 * {@link DEFAULT_PER_PAGE}; with `per_page`, pages of that size.
 */
export function listWindow(query: { page?: number | undefined; per_page?: number | undefined }): {
  page: number
  /** Undefined: no limit. */
  perPage: number | undefined
  offset: number
} {
  const page = query.page ?? 0
  const perPage = query.per_page ?? (query.page === undefined ? undefined : DEFAULT_PER_PAGE)
  return { page, perPage, offset: perPage === undefined ? 0 : page * perPage }
}

/** {@link listWindow} as a store's `offset` and `limit` (undefined: no limit). */
export function listLimits(query: { page?: number | undefined; per_page?: number | undefined }): {
  offset: number
  limit: number | undefined
} {
  const { offset, perPage } = listWindow(query)
  return { offset, limit: perPage }
}

export const ListMeta = z.object({
  has_next_results: z.boolean(),
  has_previous_results: z.boolean(),
})

/**
 * Whether an administrator-set URL (webhooks, the transparency page, logos, the server URL) is an
 * absolute http(s) URL. Refuses `javascript:`, `file:` and the like, and any whitespace or control
 * character (a CR/LF would split the headers of the redirect that serves it).
 */
export function isHttpUrl(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(value)) {
    return false
  }
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

/**
 * Why an administrator-set URL is refused, or undefined when fine: empty is "unset" unless the
 * setting needs one (an enabled webhook).
 */
export function httpUrlProblem(value: string, required = false): string | undefined {
  if (value === '' && !required) {
    return undefined
  }
  if (isHttpUrl(value)) {
    return undefined
  }
  return required ? 'must be an http or https URL when enabled' : 'must be an http or https URL'
}

/** Timestamps are RFC 3339 strings in UTC on the wire. */
export const Timestamp = z.string().meta({ format: 'date-time' })

export const EmptyResponse = z.object({})

/** Any JSON object (agent options, free-form settings). */
export const JsonObject = z.record(z.string(), z.unknown())

/** Platforms a query or policy can be limited to (a comma-separated list on the wire). */
export const TARGET_PLATFORMS = ['darwin', 'windows', 'linux', 'chrome'] as const

/**
 * `darwin,linux` — each entry one of {@link TARGET_PLATFORMS}; empty means every platform.
 * Normalized without spaces or repeats.
 */
export const PlatformList = z
  .string()
  .max(255)
  .transform((text, ctx) => {
    const parts = text
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '')
    const unknown = parts.filter((p) => !(TARGET_PLATFORMS as readonly string[]).includes(p))
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a comma-separated list of ${TARGET_PLATFORMS.join(', ')}; got "${unknown.join(',')}"`,
      })
      return z.NEVER
    }
    return [...new Set(parts)].join(',')
  })
