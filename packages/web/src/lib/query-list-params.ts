/** The queries page's state, kept in its URL so links and the back button keep it. */
export interface QueryListState {
  query: string
  orderKey: QueryOrderKey
  direction: 'asc' | 'desc'
  page: number
  teamId: number | undefined
}

export const QUERY_ORDER_KEYS = ['name', 'updated_at', 'interval', 'created_at'] as const
export type QueryOrderKey = (typeof QUERY_ORDER_KEYS)[number]

export const QUERIES_PER_PAGE = 20

const isOrderKey = (value: string | null): value is QueryOrderKey =>
  (QUERY_ORDER_KEYS as readonly (string | null)[]).includes(value)

function wholeNumber(value: string | null): number | undefined {
  return value !== null && /^\d{1,9}$/.test(value) ? Number(value) : undefined
}

/** Reads `?query=&order_key=&order_direction=&page=&team_id=`; anything unknown is the default. */
export function parseQueryListParams(params: URLSearchParams): QueryListState {
  const orderKey = params.get('order_key')
  const teamId = wholeNumber(params.get('team_id'))
  return {
    query: params.get('query') ?? '',
    orderKey: isOrderKey(orderKey) ? orderKey : 'name',
    direction: params.get('order_direction') === 'desc' ? 'desc' : 'asc',
    page: wholeNumber(params.get('page')) ?? 0,
    teamId: teamId === 0 ? undefined : teamId,
  }
}

/** The state as URL parameters, leaving out defaults so URLs stay short. */
export function toQueryListParams(state: QueryListState): URLSearchParams {
  const params = new URLSearchParams()
  if (state.teamId !== undefined) {
    params.set('team_id', String(state.teamId))
  }
  if (state.query !== '') {
    params.set('query', state.query)
  }
  if (state.orderKey !== 'name' || state.direction !== 'asc') {
    params.set('order_key', state.orderKey)
    params.set('order_direction', state.direction)
  }
  if (state.page > 0) {
    params.set('page', String(state.page))
  }
  return params
}

/**
 * The list request: a team's page shows its queries and the global ones it inherits (as Fleet's
 * does); without a team, the global queries.
 */
export function queryListRequest(state: QueryListState) {
  return {
    page: state.page,
    per_page: QUERIES_PER_PAGE,
    order_key: state.orderKey,
    order_direction: state.direction,
    query: state.query === '' ? undefined : state.query,
    team_id: state.teamId,
    merge_inherited: state.teamId === undefined ? undefined : 'true',
  }
}
