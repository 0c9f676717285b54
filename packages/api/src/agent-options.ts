import { z } from 'zod'
import { JsonObject } from './common.js'
import {
  OSQUERY_COMMAND_LINE_FLAGS,
  OSQUERY_RUNTIME_OPTIONS,
  osqueryFlagTypeError,
  type OsqueryFlagType,
} from './osquery-flags.js'

/** osquery config keys Fleet passes through to agents in `agent_options.config`. */
export const OSQUERY_CONFIG_KEYS = [
  'options',
  'decorators',
  'packs',
  'schedule',
  'file_paths',
  'file_paths_query',
  'file_accesses',
  'exclude_paths',
  'yara',
  'prometheus_targets',
  'views',
  'auto_table_construction',
  'events',
  'feature_vectors',
] as const

const OsqueryOptionValue = z.union([z.string(), z.number(), z.boolean()])

/** A map of osquery flags, each name known to `flags` and its value of the flag's type. */
function osqueryFlagMap(flags: Readonly<Record<string, OsqueryFlagType>>, what: string) {
  return z.record(z.string(), OsqueryOptionValue).superRefine((values, ctx) => {
    for (const [name, value] of Object.entries(values)) {
      const type = Object.hasOwn(flags, name) ? flags[name] : undefined
      const problem = type
        ? osqueryFlagTypeError(type, value)
        : `unknown ${what} "${name}" (pass force to store it anyway)`
      if (problem) {
        ctx.addIssue({ code: 'custom', path: [name], message: problem })
      }
    }
  })
}

export const OsqueryConfig = z
  .object({
    options: osqueryFlagMap(OSQUERY_RUNTIME_OPTIONS, 'osquery option').optional(),
    decorators: z
      .object({
        load: z.array(z.string()).optional(),
        always: z.array(z.string()).optional(),
        interval: z.record(z.string(), z.array(z.string())).optional(),
      })
      .strict()
      .optional(),
    packs: JsonObject.optional(),
    schedule: JsonObject.optional(),
    file_paths: z.record(z.string(), z.array(z.string())).optional(),
    file_paths_query: z.record(z.string(), z.array(z.string())).optional(),
    file_accesses: z.array(z.string()).optional(),
    exclude_paths: z.record(z.string(), z.array(z.string())).optional(),
    yara: JsonObject.optional(),
    prometheus_targets: JsonObject.optional(),
    views: z.record(z.string(), z.string()).optional(),
    auto_table_construction: JsonObject.optional(),
    events: JsonObject.optional(),
    feature_vectors: JsonObject.optional(),
  })
  .strict()

/**
 * Agent options as stored globally (app config) and per team. `config` goes to osquery,
 * `overrides.platforms.<platform>` replaces `config` for that platform, the rest is for fleetd.
 */
export const AgentOptions = z
  .object({
    config: OsqueryConfig.optional(),
    overrides: z
      .object({ platforms: z.record(z.string(), OsqueryConfig.nullable()).optional() })
      .strict()
      .optional(),
    command_line_flags: osqueryFlagMap(OSQUERY_COMMAND_LINE_FLAGS, 'osquery flag').optional(),
    extensions: JsonObject.optional(),
    update_channels: z
      .object({
        orbit: z.string().min(1).optional(),
        osqueryd: z.string().min(1).optional(),
        desktop: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    script_execution_timeout: z.number().int().min(1).max(3600).optional(),
  })
  .strict()
export type AgentOptions = z.infer<typeof AgentOptions>

/** Fleet's default global agent options. */
export const DEFAULT_AGENT_OPTIONS: AgentOptions = {
  config: {
    options: {
      pack_delimiter: '/',
      logger_tls_period: 10,
      distributed_plugin: 'tls',
      disable_distributed: false,
      logger_tls_endpoint: '/api/osquery/log',
      distributed_interval: 10,
      distributed_tls_max_attempts: 3,
    },
    decorators: {
      load: [
        'SELECT uuid AS host_uuid FROM system_info;',
        'SELECT hostname AS hostname FROM system_info;',
      ],
    },
  },
  overrides: {},
}

/**
 * Agent options accepted with `force`: any JSON object, stored as given (for options of newer
 * osquery versions that our validation does not know yet).
 */
export const ForcedAgentOptions = z.custom<AgentOptions>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'must be an object',
)
