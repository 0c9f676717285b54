export interface EnrollSecret {
  secret: string
  teamId: number | null
  createdAt: number
}

/** The first secret listed twice, if any. */
export function duplicateSecret(secrets: readonly { secret: string }[]): string | undefined {
  const seen = new Set<string>()
  for (const { secret } of secrets) {
    if (seen.has(secret)) {
      return secret
    }
    seen.add(secret)
  }
  return undefined
}
