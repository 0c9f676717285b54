/** The prefix every secret variable's name carries in files and in the API. */
export const SECRET_PREFIX = 'FLEET_SECRET_'

/** `$FLEET_SECRET_NAME` or `${FLEET_SECRET_NAME}`; group 1 or 2 is NAME. */
const REFERENCE = /\$\{FLEET_SECRET_([A-Za-z0-9_]+)\}|\$FLEET_SECRET_([A-Za-z0-9_]+)/g

/** The secret names (without prefix) `text` references, sorted, once each. */
export function referencedSecrets(text: string): string[] {
  return [...new Set([...text.matchAll(REFERENCE)].map((m) => m[1] ?? m[2] ?? ''))].sort()
}

/**
 * Replaces every reference with its value; a name missing from `values` is left as written
 * (uploads refuse unknown names, so only a secret deleted since can be missing).
 */
export function expandSecretReferences(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(REFERENCE, (whole, braced: string | undefined, bare: string | undefined) => {
    const value = values.get(braced ?? bare ?? '')
    return value === undefined ? whole : value
  })
}

/** Why a secret from the API is refused, or undefined when it is fine (Fleet's rules). */
export function secretProblem(name: string, value: string): string | undefined {
  if (!name.startsWith(SECRET_PREFIX)) {
    return `secret variable name must start with ${SECRET_PREFIX}: ${name.slice(0, 64)}`
  }
  if (!/^[A-Za-z0-9_]+$/.test(name.slice(SECRET_PREFIX.length))) {
    return `secret variable name must be ${SECRET_PREFIX} followed by letters, digits or _: ${name.slice(0, 64)}`
  }
  if (value === '') {
    return `secret variable value must not be empty: ${name}`
  }
  return undefined
}
