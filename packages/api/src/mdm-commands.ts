import { z } from 'zod'
import { ListQuery, Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'

const TAG = 'MDM commands'

/** Fleet's `command_status` filter values; each stands for a set of device answers. */
export const MDM_COMMAND_STATUS_FILTERS = ['pending', 'ran', 'failed'] as const

/** What `POST /commands/run` answers: the command as queued (Fleet's `CommandEnqueueResult`). */
export const MdmCommandEnqueueResult = z
  .object({
    command_uuid: z.string(),
    request_type: z.string(),
    platform: z.string(),
    /** Hosts whose push failed (the command stays queued for their next check-in). */
    failed_uuids: z.array(z.string()).optional(),
  })
  .meta({ id: 'MdmCommandEnqueueResult' })

/** One command for one host, as `GET /commands` lists it. */
export const MdmCommand = z
  .object({
    host_uuid: z.string(),
    command_uuid: z.string(),
    /** The device's answer (Acknowledged, Error, CommandFormatError, NotNow) or `Pending`. */
    status: z.string(),
    updated_at: Timestamp,
    request_type: z.string(),
    hostname: z.string(),
    team_id: z.number().int().nullable(),
  })
  .meta({ id: 'MdmCommand' })
export type MdmCommand = z.infer<typeof MdmCommand>

/** One host's answer to a command; `payload` and `result` are base64 of the plists. */
export const MdmCommandResult = MdmCommand.omit({ team_id: true })
  .extend({ payload: z.string(), result: z.string() })
  .meta({ id: 'MdmCommandResult' })
export type MdmCommandResult = z.infer<typeof MdmCommandResult>

export const runMdmCommand = defineEndpoint({
  method: 'POST',
  path: '/commands/run',
  mount: 'fleet',
  tag: TAG,
  summary: 'Run a custom MDM command (base64 of its plist) on MDM-enrolled hosts',
  auth: 'user',
  altPaths: ['/mdm/commands/run'],
  body: z.object({
    command: z.string(),
    host_uuids: z.array(z.string()).max(10_000),
  }),
  response: MdmCommandEnqueueResult,
})

export const listMdmCommands = defineEndpoint({
  method: 'GET',
  path: '/commands',
  mount: 'fleet',
  tag: TAG,
  summary: 'List MDM commands per host (newest first)',
  auth: 'user',
  altPaths: ['/mdm/apple/commands', '/mdm/commands'],
  query: z.object({
    page: ListQuery.shape.page,
    per_page: ListQuery.shape.per_page,
    order_key: z.enum(['updated_at', 'command_uuid', 'request_type', 'status']).optional(),
    order_direction: z.enum(['asc', 'desc']).optional(),
    host_identifier: z.string().max(256).optional(),
    request_type: z.string().max(256).optional(),
    command_status: z
      .string()
      .optional()
      .refine(
        (v) =>
          v === undefined ||
          v
            .split(',')
            .every((s) => (MDM_COMMAND_STATUS_FILTERS as readonly string[]).includes(s.trim())),
        { message: `command_status must be one of ${MDM_COMMAND_STATUS_FILTERS.join(', ')}` },
      ),
  }),
  response: z.object({ results: z.array(MdmCommand) }),
})

export const getMdmCommandResults = defineEndpoint({
  method: 'GET',
  path: '/commands/results',
  mount: 'fleet',
  tag: TAG,
  summary: "Every host's answer to one MDM command",
  auth: 'user',
  altPaths: ['/mdm/apple/commandresults', '/mdm/commandresults'],
  query: z.object({ command_uuid: z.string().min(1, 'command_uuid is required').max(256) }),
  response: z.object({ results: z.array(MdmCommandResult) }),
})
