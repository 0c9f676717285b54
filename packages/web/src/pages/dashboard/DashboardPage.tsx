import { hostSummary, listActivities, listOsVersions } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { usePolicies } from '../../app/policies.js'
import { useTeamId } from '../../app/team.js'
import { ActivityList } from '../../components/ActivityList.js'
import { BarChart } from '../../components/BarChart.js'
import { Card, Empty, ErrorNotice, Loading } from '../../components/ui.js'
import styles from './dashboard.module.css'

const STATUSES = [
  { key: 'online_count', status: 'online', label: 'Online' },
  { key: 'offline_count', status: 'offline', label: 'Offline' },
  { key: 'new_count', status: 'new', label: 'New' },
  { key: 'mia_count', status: 'missing', label: 'Missing' },
] as const

function hostsLink(teamId: number | undefined, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra)
  if (teamId !== undefined) {
    params.set('team_id', String(teamId))
  }
  const query = params.toString()
  return `/hosts/manage${query ? `?${query}` : ''}`
}

function HostCounts({ teamId }: { teamId: number | undefined }) {
  const summary = useQuery({
    queryKey: ['host_summary', teamId],
    queryFn: () => client.call(hostSummary, { query: { team_id: teamId } }),
  })
  if (summary.isPending) {
    return <Loading what="host counts" />
  }
  if (summary.isError) {
    return <ErrorNotice error={summary.error} onRetry={() => void summary.refetch()} />
  }
  const data = summary.data
  return (
    <>
      <Card title="Hosts">
        <ul className={styles.counts}>
          <li>
            <Link to={hostsLink(teamId)}>
              <span className={styles.count} data-testid="count-total">
                {data.totals_hosts_count}
              </span>
              Total
            </Link>
          </li>
          {STATUSES.map(({ key, status, label }) => (
            <li key={key}>
              <Link to={hostsLink(teamId, { status })}>
                <span className={styles.count} data-testid={`count-${status}`}>
                  {data[key]}
                </span>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Hosts by platform">
        {data.platforms.length === 0 ? (
          <Empty>No hosts have enrolled yet.</Empty>
        ) : (
          <BarChart
            label="Hosts by platform"
            unit="hosts"
            items={data.platforms.map((p) => ({
              key: p.platform,
              label: p.platform || 'unknown',
              value: p.hosts_count,
            }))}
          />
        )}
      </Card>
    </>
  )
}

/** Hosts by operating system and version, the ten most common. */
function OperatingSystems({ teamId }: { teamId: number | undefined }) {
  const versions = useQuery({
    queryKey: ['os_versions', teamId],
    queryFn: () => client.call(listOsVersions, { query: { team_id: teamId } }),
  })
  if (versions.isPending) {
    return <Loading what="operating systems" />
  }
  if (versions.isError) {
    return <ErrorNotice error={versions.error} onRetry={() => void versions.refetch()} />
  }
  const top = versions.data.os_versions.slice(0, 10)
  if (top.length === 0) {
    return <Empty>No host has reported its operating system yet.</Empty>
  }
  return (
    <BarChart
      label="Hosts by operating system"
      unit="hosts"
      items={top.map((v) => ({
        key: `${v.platform}:${v.name}`,
        label: v.name,
        value: v.hosts_count,
      }))}
    />
  )
}

function FailingPolicies({ teamId }: { teamId: number | undefined }) {
  const policies = usePolicies(teamId)
  if (policies.isPending) {
    return <Loading what="policies" />
  }
  if (policies.isError) {
    return <ErrorNotice error={policies.error} onRetry={() => void policies.refetch()} />
  }
  const failing = policies.data
    .filter((p) => p.failing_host_count > 0)
    .sort((a, b) => b.failing_host_count - a.failing_host_count)
  if (failing.length === 0) {
    return <Empty>No policy is failing on any host.</Empty>
  }
  return (
    <ul className={styles.list}>
      {failing.slice(0, 10).map((p) => (
        <li key={p.id}>
          <span>{p.name}</span>
          <Link to={hostsLink(teamId, { policy_id: String(p.id), policy_response: 'failing' })}>
            {p.failing_host_count} failing
          </Link>
        </li>
      ))}
    </ul>
  )
}

function RecentActivity() {
  const activities = useQuery({
    queryKey: ['activities'],
    queryFn: () =>
      client.call(listActivities, {
        query: { per_page: 10, page: 0, order_key: 'created_at', order_direction: 'desc' },
      }),
  })
  if (activities.isPending) {
    return <Loading what="activity" />
  }
  if (activities.isError) {
    return <ErrorNotice error={activities.error} onRetry={() => void activities.refetch()} />
  }
  if (activities.data.activities.length === 0) {
    return <Empty>Nothing has happened yet.</Empty>
  }
  return <ActivityList label="Recent activity" activities={activities.data.activities} />
}

/**
 * `/dashboard`: hosts by status and platform, hosts by operating system, failing policies, recent
 * activity; all scoped to the team in the switcher.
 */
export function DashboardPage() {
  const teamId = useTeamId()
  const me = useMe()
  return (
    <>
      <h1>Dashboard</h1>
      <div className={styles.grid}>
        <div>
          <HostCounts teamId={teamId} />
        </div>
        <div>
          <Card title="Operating systems">
            <OperatingSystems teamId={teamId} />
          </Card>
          <Card title="Failing policies">
            <FailingPolicies teamId={teamId} />
          </Card>
          {me.user.global_role !== null ? (
            <Card title="Recent activity">
              <RecentActivity />
              <Link to="/activity">All activity</Link>
            </Card>
          ) : null}
        </div>
      </div>
    </>
  )
}
