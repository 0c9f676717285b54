import type { ErrorDetail } from '@fleet/api'
import type { z } from 'zod'
import { InvalidArgumentError } from './errors.js'

/**
 * Zod issues as Fleet's error details: `name` is the dotted path of the field (after `prefix`),
 * or `fallback` when the issue is about the whole value; an unknown key is named with its path
 * and reported as "unsupported key provided", as Fleet does. The one place that reads `issues`.
 *
 * @example issueDetails(err, { fallback: 'body' }) // [{ name: 'enroll_secret', reason: 'Required' }]
 */
export function issueDetails(
  error: z.ZodError,
  options: { prefix?: string; fallback: string },
): ErrorDetail[] {
  return error.issues.map((issue) => {
    const unrecognized = issue.code === 'unrecognized_keys'
    const parts = [
      ...(options.prefix === undefined ? [] : [options.prefix]),
      ...issue.path.map(String),
      ...(unrecognized ? issue.keys : []),
    ]
    return {
      name: parts.join('.') || options.fallback,
      reason: unrecognized ? 'unsupported key provided' : issue.message,
    }
  })
}

/**
 * Parses a request part with its contract schema; throws {@link InvalidArgumentError} (400)
 * naming each bad field, with `where` (`body`, `query`…) for problems with the whole part.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) {
    throw new InvalidArgumentError(issueDetails(result.error, { fallback: where }))
  }
  return result.data
}
