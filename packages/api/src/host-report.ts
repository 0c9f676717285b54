import { z } from 'zod'
import { defineEndpoint } from './contract.js'
import { HostFilters } from './host-filters.js'

/**
 * The columns `GET /hosts/report` can write, named as the host's JSON fields (Fleet's report uses
 * the same names); `failing_policies_count` is `issues.failing_policies_count`.
 */
export const HOST_REPORT_COLUMNS = [
  'id',
  'display_name',
  'hostname',
  'computer_name',
  'uuid',
  'status',
  'platform',
  'os_version',
  'osquery_version',
  'team_id',
  'team_name',
  'primary_ip',
  'primary_mac',
  'public_ip',
  'hardware_vendor',
  'hardware_model',
  'hardware_serial',
  'cpu_brand',
  'memory',
  'gigs_disk_space_available',
  'percent_disk_space_available',
  'failing_policies_count',
  'seen_time',
  'created_at',
  'last_enrolled_at',
  'detail_updated_at',
] as const
export type HostReportColumn = (typeof HOST_REPORT_COLUMNS)[number]

const COLUMN_SET: ReadonlySet<string> = new Set(HOST_REPORT_COLUMNS)

function isReportColumn(name: string): name is HostReportColumn {
  return COLUMN_SET.has(name)
}

/** `columns=hostname,status`: the report's columns in that order; absent or empty: all of them. */
const ReportColumns = z
  .string()
  .max(2048)
  .optional()
  .transform((value, ctx): HostReportColumn[] => {
    const names = (value ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '')
    if (names.length === 0) {
      return [...HOST_REPORT_COLUMNS]
    }
    const unknown = names.filter((n) => !isReportColumn(n))
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `unknown column: ${unknown.join(', ')}` })
      return z.NEVER
    }
    return [...new Set(names.filter(isReportColumn))]
  })
  .meta({ description: `Comma-separated, of: ${HOST_REPORT_COLUMNS.join(', ')}.` })

export const hostsReport = defineEndpoint({
  method: 'GET',
  path: '/hosts/report',
  mount: 'fleet',
  tag: 'Hosts',
  summary: 'The hosts matching filters as a CSV file, streamed (ordered by id)',
  auth: 'user',
  produces: 'text/csv',
  query: HostFilters.extend({
    /** Fleet's only format. */
    format: z.literal('csv'),
    columns: ReportColumns,
  }),
  response: z.string(),
})
