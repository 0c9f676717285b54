/**
 * Where "Live query" goes: the live-query page of a saved query (`/queries/:id/live`), or of new,
 * unsaved SQL (`/queries/new/live?sql=…`), keeping the team in scope.
 */
export function liveQueryLink(id: number | undefined, sql: string, teamId: number | null): string {
  const params = new URLSearchParams()
  if (teamId !== null) {
    params.set('team_id', String(teamId))
  }
  if (id === undefined) {
    params.set('sql', sql)
  }
  const search = params.toString()
  return `/queries/${id ?? 'new'}/live${search ? `?${search}` : ''}`
}
