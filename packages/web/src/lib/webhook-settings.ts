/** The failing-policies webhook as the form edits it (strings as typed). */
export interface WebhookForm {
  enabled: boolean
  destinationUrl: string
  policyIds: readonly number[]
  hostBatchSize: string
}

/** Fleet's `webhook_settings.failing_policies_webhook`, for the app config or a team. */
export interface FailingPoliciesWebhookPatch {
  enable_failing_policies_webhook: boolean
  destination_url: string
  policy_ids: number[]
  host_batch_size: number
}

/** The form's starting values from stored settings. */
export function toWebhookForm(stored: FailingPoliciesWebhookPatch): WebhookForm {
  return {
    enabled: stored.enable_failing_policies_webhook,
    destinationUrl: stored.destination_url,
    policyIds: stored.policy_ids,
    hostBatchSize: String(stored.host_batch_size),
  }
}

/**
 * Checks the form and builds the patch: an enabled webhook needs an http(s) URL; the batch size
 * is a whole number, 0 meaning every failing host in one request. The server checks again.
 */
export function toWebhookPatch(
  form: WebhookForm,
): { patch: FailingPoliciesWebhookPatch } | { error: string } {
  const url = form.destinationUrl.trim()
  if (form.enabled && !isHttpUrl(url)) {
    return { error: 'Destination URL must be an http:// or https:// address.' }
  }
  if (url !== '' && !isHttpUrl(url)) {
    return { error: 'Destination URL must be an http:// or https:// address.' }
  }
  const batch = form.hostBatchSize.trim() === '' ? '0' : form.hostBatchSize.trim()
  if (!/^\d{1,9}$/.test(batch)) {
    return { error: 'Host batch size must be a whole number (0 sends all hosts at once).' }
  }
  return {
    patch: {
      enable_failing_policies_webhook: form.enabled,
      destination_url: url,
      policy_ids: [...new Set(form.policyIds)].sort((a, b) => a - b),
      host_batch_size: Number(batch),
    },
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}
