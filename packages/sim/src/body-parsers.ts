import type { DistributedReadResponse } from '@fleet/api'
import type { BodyParser } from './transport.js'

/** Type guard for a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Any JSON object: what config, distributed/write and log answer. */
export const anyObject: BodyParser<Record<string, unknown>> = (json) =>
  isRecord(json) ? json : undefined

/**
 * `{"queries": {name: sql}, "discovery": {...}, "accelerate"?: n}` — checked by hand, as
 * `DistributedReadResponse` in `@fleet/api` describes it, because this runs on every check-in.
 */
export const distributedRead: BodyParser<DistributedReadResponse> = (json) => {
  if (!isRecord(json) || !isStringMap(json['queries']) || !isStringMap(json['discovery'])) {
    return undefined
  }
  const accelerate = json['accelerate']
  if (accelerate !== undefined && !Number.isInteger(accelerate)) {
    return undefined
  }
  return {
    queries: json['queries'],
    discovery: json['discovery'],
    ...(typeof accelerate === 'number' ? { accelerate } : {}),
  }
}

function isStringMap(value: unknown): value is Record<string, string> {
  if (!isRecord(value)) {
    return false
  }
  for (const key in value) {
    if (typeof value[key] !== 'string') {
      return false
    }
  }
  return true
}
