/**
 * Pure helpers of the Apple MDM set-up page: the CSR as the file Apple's portal takes, and how
 * soon the push certificate must be renewed.
 */

/** `GET /mdm/apple/request_csr` answers base64 of the PEM; the portal wants the PEM itself. */
export function csrPem(base64: string): string {
  const pem = atob(base64)
  if (!pem.includes('BEGIN CERTIFICATE REQUEST')) {
    throw new Error('the server did not answer a certificate signing request')
  }
  return pem
}

/**
 * "Renew by 7 Dec 2027 (in 365 days)", or that it expired: a push certificate that lapses stops
 * every push, and Apple renews it only under the same Apple ID.
 */
export function renewalText(renewDate: string, now: number = Date.now()): string {
  const at = Date.parse(renewDate)
  if (Number.isNaN(at)) {
    return renewDate
  }
  const day = new Date(at).toISOString().slice(0, 10)
  const days = Math.floor((at - now) / 86_400_000)
  if (days < 0) {
    return `${day} (expired ${-days} day${days === -1 ? '' : 's'} ago: renew it now)`
  }
  return `${day} (in ${days} day${days === 1 ? '' : 's'})`
}

/** Whether the renewal date is near enough to warn about it (Fleet warns 30 days ahead). */
export function renewalDue(renewDate: string, now: number = Date.now()): boolean {
  const at = Date.parse(renewDate)
  return !Number.isNaN(at) && at - now < 30 * 86_400_000
}
