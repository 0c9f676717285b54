import { z } from 'zod'

/** One reason a device gives for a declaration's state (lower-case keys inside StatusItems). */
const Reason = z.object({
  code: z.string(),
  description: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
})

/** One declaration's state in `StatusItems.management.declarations.<kind>[]`. */
const DeclarationStatus = z.object({
  identifier: z.string(),
  'server-token': z.string(),
  active: z.boolean().optional(),
  valid: z.string().optional(),
  reasons: z.array(Reason).optional(),
})
export type DeclarationStatus = z.infer<typeof DeclarationStatus>

/**
 * The `status` endpoint's Data (reference §4.2). Only what the server reads is checked; devices
 * add keys freely (client capabilities, device facts), which are kept in the request log.
 */
const StatusReport = z.object({
  StatusItems: z
    .object({
      management: z
        .object({
          declarations: z
            .object({ configurations: z.array(DeclarationStatus).optional() })
            .optional(),
        })
        .optional(),
    })
    .optional(),
  Errors: z.array(z.unknown()).optional(),
  FullReport: z.boolean().optional(),
})

export interface ParsedStatusReport {
  configurations: DeclarationStatus[]
  fullReport: boolean
  errorCount: number
}

/** Reads a status report; a reason string when it is not JSON or not a report's shape. */
export function parseStatusReport(data: Buffer): ParsedStatusReport | string {
  let json: unknown
  try {
    json = JSON.parse(data.toString('utf8'))
  } catch {
    return 'status Data is not valid JSON'
  }
  const parsed = StatusReport.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return `status Data is not a status report: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'bad shape'}`
  }
  return {
    configurations: parsed.data.StatusItems?.management?.declarations?.configurations ?? [],
    fullReport: parsed.data.FullReport === true,
    errorCount: parsed.data.Errors?.length ?? 0,
  }
}

/** What a configuration's reported state means for its host row. */
export type DeclarationOutcome =
  | { status: 'verified'; detail: null }
  | { status: 'verifying'; detail: null }
  | { status: 'failed'; detail: string }

function formatReasons(reasons: DeclarationStatus['reasons']): string {
  return (reasons ?? [])
    .map((r) => {
      const details = Object.entries(r.details ?? {})
        .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(', ')
      return `${r.code}${r.description ? `: ${r.description}` : ''}${details ? ` (${details})` : ''}`
    })
    .join('; ')
}

/**
 * Fleet's mapping (reference §4.4 item 4), with `valid: "unknown"` decided on purpose (Fleet's
 * constant for it is mistakenly "valid", so every unknown falls to "failed"):
 * - valid and active → verified; valid, not active yet → verifying;
 * - invalid → failed, detail = the reasons;
 * - unknown with `Error.UnknownDeclarationType` (the OS cannot apply this type) or
 *   `Info.NotReferencedByActivation` (this server always sends the configuration with its
 *   activation, so the device holding it unreferenced means the pair did not apply) → failed
 *   with those reasons, so an admin sees why instead of a row stuck in verifying;
 * - any other unknown (the device has not evaluated it yet) → verifying;
 * - anything else → failed "undefined declaration status".
 */
export function outcomeOf(item: DeclarationStatus): DeclarationOutcome {
  const codes = new Set((item.reasons ?? []).map((r) => r.code))
  switch (item.valid) {
    case 'valid':
      return item.active === true
        ? { status: 'verified', detail: null }
        : { status: 'verifying', detail: null }
    case 'invalid':
      return { status: 'failed', detail: formatReasons(item.reasons) || 'invalid' }
    case 'unknown':
      return codes.has('Error.UnknownDeclarationType') ||
        codes.has('Info.NotReferencedByActivation')
        ? { status: 'failed', detail: formatReasons(item.reasons) }
        : { status: 'verifying', detail: null }
    default:
      return { status: 'failed', detail: 'undefined declaration status' }
  }
}
