import { useSearchParams } from 'react-router'

/**
 * The team the pages are scoped to, from `?team_id=` as in Fleet's URLs. Undefined: all teams.
 */
export function useTeamId(): number | undefined {
  const [params] = useSearchParams()
  const value = params.get('team_id')
  return value !== null && /^\d{1,9}$/.test(value) && value !== '0' ? Number(value) : undefined
}

/** `?team_id=N` to keep the team when following a link, or '' for all teams. */
export function teamQuery(teamId: number | undefined): string {
  return teamId === undefined ? '' : `?team_id=${teamId}`
}
