import { PROFILE_STATUSES, type ProfileStatus } from './os-settings.js'

/** Fleet's MDM enrollment filter values, as the hosts page offers them. */
export const MDM_ENROLLMENT_STATUSES = [
  { value: 'manual', name: 'On (manual)' },
  { value: 'automatic', name: 'On (automatic)' },
  { value: 'pending', name: 'Pending' },
  { value: 'unenrolled', name: 'Off' },
] as const
export type MdmEnrollmentFilter = '' | (typeof MDM_ENROLLMENT_STATUSES)[number]['value']

/** The manage-hosts page's state, kept in the URL so links and reloads show the same list. */
export interface HostListState {
  query: string
  status: '' | 'online' | 'offline' | 'new' | 'missing'
  teamId: number | undefined
  labelId: number | undefined
  /** With `policyResponse`: hosts passing or failing this policy (the dashboard links here). */
  policyId: number | undefined
  policyResponse: '' | 'passing' | 'failing'
  mdmEnrollmentStatus: MdmEnrollmentFilter
  /** Hosts whose OS settings (profiles) are, at worst, in this status (Controls' summary links). */
  osSettings: '' | ProfileStatus
  /** With `profileStatus`: hosts where this profile is in that status (a profile's counts). */
  profileUuid: string | undefined
  profileStatus: '' | ProfileStatus
  orderKey: string
  orderDirection: 'asc' | 'desc'
  page: number
  perPage: number
}

export const HOST_STATUSES = ['online', 'offline', 'new', 'missing'] as const
export const PER_PAGE_CHOICES = [20, 50, 100] as const
const SORTABLE = new Set([
  'display_name',
  'hostname',
  'status',
  'platform',
  'os_version',
  'seen_time',
  'primary_ip',
  'osquery_version',
  'hardware_serial',
  'memory',
  'created_at',
])

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d{1,9}$/.test(value)) {
    return undefined
  }
  return Number(value)
}

function profileStatus(value: string | null): '' | ProfileStatus {
  return PROFILE_STATUSES.find((s) => s === value) ?? ''
}

/** Reads the state from the URL's query, ignoring values the page cannot use (Fleet's names). */
export function parseHostListParams(params: URLSearchParams): HostListState {
  const status = params.get('status') ?? ''
  const orderKey = params.get('order_key') ?? 'display_name'
  const perPage = positiveInt(params.get('per_page'))
  const policyResponse = params.get('policy_response')
  const profileUuid = params.get('profile_uuid') ?? ''
  return {
    query: params.get('query') ?? '',
    status: (HOST_STATUSES as readonly string[]).includes(status)
      ? (status as HostListState['status'])
      : '',
    teamId: positiveInt(params.get('team_id')),
    labelId: positiveInt(params.get('label_id')),
    policyId: positiveInt(params.get('policy_id')),
    policyResponse:
      policyResponse === 'passing' || policyResponse === 'failing' ? policyResponse : '',
    mdmEnrollmentStatus:
      MDM_ENROLLMENT_STATUSES.find((m) => m.value === params.get('mdm_enrollment_status'))?.value ??
      '',
    osSettings: profileStatus(params.get('os_settings')),
    profileUuid: /^[ad][\w-]{1,36}$/.test(profileUuid) ? profileUuid : undefined,
    profileStatus: profileStatus(params.get('profile_status')),
    orderKey: SORTABLE.has(orderKey) ? orderKey : 'display_name',
    orderDirection: params.get('order_direction') === 'desc' ? 'desc' : 'asc',
    page: positiveInt(params.get('page')) ?? 0,
    perPage: PER_PAGE_CHOICES.find((n) => n === perPage) ?? PER_PAGE_CHOICES[0],
  }
}

/** Writes the state back, leaving defaults out so URLs stay short. */
export function toHostListParams(state: HostListState): URLSearchParams {
  const params = new URLSearchParams()
  const set = (key: string, value: string | number | undefined, skip?: string | number) => {
    if (value !== undefined && value !== '' && value !== skip) {
      params.set(key, String(value))
    }
  }
  set('team_id', state.teamId)
  set('query', state.query)
  set('status', state.status)
  set('label_id', state.labelId)
  set('policy_id', state.policyId)
  set('policy_response', state.policyResponse)
  set('mdm_enrollment_status', state.mdmEnrollmentStatus)
  set('os_settings', state.osSettings)
  set('profile_uuid', state.profileUuid)
  set('profile_status', state.profileStatus)
  set('order_key', state.orderKey, 'display_name')
  set('order_direction', state.orderDirection, 'asc')
  set('page', state.page, 0)
  set('per_page', state.perPage, PER_PAGE_CHOICES[0])
  return params
}

/**
 * The filters of the state as Fleet's host filters (shared by list, count, CSV report and bulk
 * actions). Platforms are filtered as Fleet's console does, by their builtin labels (macOS,
 * Ubuntu Linux, MS Windows ...) through `label_id`.
 */
export function hostFilterQuery(state: HostListState) {
  return {
    query: state.query || undefined,
    status: state.status || undefined,
    team_id: state.teamId,
    label_id: state.labelId,
    policy_id: state.policyId,
    policy_response: state.policyId === undefined ? undefined : state.policyResponse || undefined,
    mdm_enrollment_status: state.mdmEnrollmentStatus || undefined,
    os_settings: state.osSettings || undefined,
    profile_uuid: state.profileUuid,
    profile_status: state.profileUuid === undefined ? undefined : state.profileStatus || undefined,
  }
}

/** The `GET /hosts` query for the state: its filters, order and page. */
export function hostListQuery(state: HostListState) {
  return {
    ...hostFilterQuery(state),
    order_key: state.orderKey,
    order_direction: state.orderDirection,
    page: state.page,
    per_page: state.perPage,
  }
}

/** Whether a changed filter should send the user back to the first page. */
export function withFilter(state: HostListState, change: Partial<HostListState>): HostListState {
  return { ...state, ...change, page: 'page' in change ? (change.page ?? 0) : 0 }
}
