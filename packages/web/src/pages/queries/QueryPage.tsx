import { getQuery, type Query } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { Link, useParams, useSearchParams } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { teamQuery, useTeamId } from '../../app/team.js'
import { QueryReport } from '../../components/ReportTable.js'
import { Card, ErrorNotice, Loading, Notice } from '../../components/ui.js'
import { emptyQueryForm, formFromQuery } from '../../lib/query-form.js'
import { canWrite } from '../../lib/roles.js'
import { QueryEditorForm } from './QueryEditorForm.js'
import { QueryView } from './QueryView.js'
import hostStyles from '../hosts/hosts.module.css'

/** Why a report is empty, from the query's settings (Fleet keeps reports of snapshot queries). */
function emptyReportText(query: Query): string {
  if (query.discard_data || query.logging !== 'snapshot') {
    return 'This query keeps no report: it discards data or does not log snapshots.'
  }
  if (query.interval === 0) {
    return 'No results yet: schedule the query (set a frequency) to collect a report from hosts.'
  }
  return 'No results yet: hosts send them after they next run the query.'
}

function BackLink({ teamId }: { teamId: number | undefined }) {
  return <Link to={`/queries/manage${teamQuery(teamId)}`}>← All queries</Link>
}

function SavedQueryPage({ id }: { id: number }) {
  const me = useMe()
  const teamId = useTeamId()
  const query = useQuery({
    queryKey: ['query', id],
    queryFn: () => client.call(getQuery, { params: { id } }),
  })
  if (query.isPending) {
    return <Loading what="the query" />
  }
  if (query.isError) {
    return (
      <>
        <BackLink teamId={teamId} />
        <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />
      </>
    )
  }
  const saved = query.data.query
  return (
    <>
      <BackLink teamId={teamId} />
      <div className={hostStyles.titleRow}>
        <h1>{saved.name}</h1>
      </div>
      {canWrite(me.user, saved.team_id) ? (
        <QueryEditorForm key={saved.id} initial={formFromQuery(saved)} saved={saved} />
      ) : (
        <QueryView query={saved} />
      )}
      <Card title="Report">
        <QueryReport queryId={saved.id} emptyText={emptyReportText(saved)} />
      </Card>
    </>
  )
}

/** `/queries/new`: a new query for the team in scope (or global); `?sql=` fills the editor. */
function NewQueryPage() {
  const me = useMe()
  const teamId = useTeamId()
  const [params] = useSearchParams()
  const writableTeam = teamId ?? me.available_teams.find((t) => canWrite(me.user, t.id))?.id
  const initialTeam = canWrite(me.user, teamId ?? null) ? (teamId ?? null) : (writableTeam ?? null)
  return (
    <>
      <BackLink teamId={teamId} />
      <div className={hostStyles.titleRow}>
        <h1>New query</h1>
      </div>
      {canWrite(me.user, initialTeam) ? (
        <QueryEditorForm initial={emptyQueryForm(initialTeam, params.get('sql') ?? '')} />
      ) : (
        <Notice>You don&apos;t have access to add queries here.</Notice>
      )}
    </>
  )
}

/** `/queries/:id` (view or edit a saved query and its report) and `/queries/new`. */
export function QueryPage() {
  const { id } = useParams()
  if (id === undefined) {
    return <NewQueryPage />
  }
  if (!/^\d{1,9}$/.test(id)) {
    return <Notice>Not found: there is no query “{id}”.</Notice>
  }
  return <SavedQueryPage key={id} id={Number(id)} />
}
