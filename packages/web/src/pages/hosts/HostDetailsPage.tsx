import { getHost, refetchHost, type HostDetailJson } from '@fleet/api'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Link, useParams } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { FactList } from '../../components/FactList.js'
import { Badge, Button, Card, Empty, ErrorNotice, Loading } from '../../components/ui.js'
import { formatBytes, timeAgo } from '../../lib/format.js'
import { HostActions } from './HostActions.js'
import { HostActivity } from './HostActivity.js'
import { HostMdm } from './HostMdm.js'
import { HostQueryReports } from './HostQueryReports.js'
import styles from './hosts.module.css'

/** How often the page asks for the host while a refetch is pending. */
const REFETCH_POLL_MS = 2_000

function Vitals({ host }: { host: HostDetailJson }) {
  const rows: [string, string][] = [
    ['Status', host.status],
    ['Last seen', timeAgo(host.seen_time)],
    ['Team', host.team_name ?? 'No team'],
    ['Operating system', host.os_version || host.platform],
    ['osquery', host.osquery_version],
    ['fleetd', host.orbit_version ?? '—'],
    ['Hardware', [host.hardware_vendor, host.hardware_model].filter(Boolean).join(' ') || '—'],
    ['Serial number', host.hardware_serial || '—'],
    ['Memory', formatBytes(host.memory)],
    ['CPU', host.cpu_brand || host.cpu_type || '—'],
    ['Disk space available', `${host.gigs_disk_space_available} GB`],
    ['IP address', host.primary_ip || '—'],
    ['MAC address', host.primary_mac || '—'],
    ['UUID', host.uuid],
    ['Vitals updated', timeAgo(host.detail_updated_at)],
  ]
  return <FactList rows={rows} />
}

function Policies({ host }: { host: HostDetailJson }) {
  const policies = host.policies ?? []
  if (policies.length === 0) {
    return <Empty>No policies apply to this host.</Empty>
  }
  return (
    <ul className={styles.labels} aria-label="Policies">
      {policies.map((p) => (
        <li key={p.id}>
          {p.name}{' '}
          <Badge tone={p.response === 'pass' ? 'pass' : p.response === 'fail' ? 'fail' : 'new'}>
            {p.response === 'pass' ? 'Yes' : p.response === 'fail' ? 'No' : 'No response'}
          </Badge>
        </li>
      ))}
    </ul>
  )
}

function Users({ host }: { host: HostDetailJson }) {
  if (host.users.length === 0) {
    return <Empty>No users reported.</Empty>
  }
  return (
    <ul className={styles.labels}>
      {host.users.map((u) => (
        <li key={`${u.uid}-${u.username}`}>
          {u.username} <span>({u.uid})</span>
        </li>
      ))}
    </ul>
  )
}

/**
 * Refetch: asks the host to report its vitals again, then polls until the host has answered
 * (`refetch_requested` cleared), showing progress meanwhile.
 */
function useRefetch(id: number) {
  const [waiting, setWaiting] = useState(false)
  const mutation = useMutation({
    mutationFn: () => client.call(refetchHost, { params: { id } }),
    onSuccess: () => setWaiting(true),
  })
  return { mutation, waiting, done: () => setWaiting(false) }
}

/**
 * `/hosts/:id`: vitals, labels, policies with pass/fail, users, query reports, activity; refetch,
 * transfer, delete, and "Query this host" (the live query page, targeting it).
 */
export function HostDetailsPage() {
  const me = useMe()
  const id = Number(useParams().id)
  const refetch = useRefetch(id)
  const host = useQuery({
    queryKey: ['host', id],
    queryFn: async () => {
      const { host: h } = await client.call(getHost, { params: { id } })
      if (refetch.waiting && !h.refetch_requested) {
        refetch.done()
      }
      return h
    },
    enabled: Number.isInteger(id) && id > 0,
    refetchInterval: refetch.waiting ? REFETCH_POLL_MS : false,
  })
  if (!Number.isInteger(id) || id <= 0) {
    return <ErrorNotice error={new Error(`"${useParams().id ?? ''}" is not a host id`)} />
  }
  if (host.isPending) {
    return <Loading what="the host" />
  }
  if (host.isError) {
    return <ErrorNotice error={host.error} onRetry={() => void host.refetch()} />
  }
  const h = host.data
  const refetching = refetch.mutation.isPending || refetch.waiting
  return (
    <>
      <div className={styles.titleRow}>
        <h1>{h.display_name}</h1>
        <Badge tone={h.status}>{h.status}</Badge>
        <Button variant="secondary" disabled={refetching} onClick={() => refetch.mutation.mutate()}>
          {refetching ? 'Refetching…' : 'Refetch'}
        </Button>
        <Link className={styles.linkButton} to={`/queries/new/live?host_ids=${h.id}`}>
          Query this host
        </Link>
        {refetching ? (
          <span role="status">
            {h.status === 'online'
              ? 'Waiting for the host to report its vitals…'
              : 'Waiting for the host: it is offline and reports when it next checks in…'}
          </span>
        ) : null}
        <HostActions host={h} />
      </div>
      {refetch.mutation.isError ? <ErrorNotice error={refetch.mutation.error} /> : null}
      <Card title="Vitals">
        <Vitals host={h} />
      </Card>
      {['darwin', 'ios', 'ipados'].includes(h.platform) || h.mdm.enrollment_status !== null ? (
        <Card title="MDM">
          <HostMdm host={h} />
        </Card>
      ) : null}
      <Card title="Labels">
        {h.labels.length === 0 ? (
          <Empty>This host is in no label.</Empty>
        ) : (
          <ul className={styles.labels}>
            {h.labels.map((l) => (
              <li key={l.id}>
                <Badge tone="new">{l.name}</Badge>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Policies">
        <Policies host={h} />
      </Card>
      <Card title="Users">
        <Users host={h} />
      </Card>
      <Card title="Query reports">
        <HostQueryReports host={h} />
      </Card>
      {me.user.global_role !== null ? (
        <Card title="Activity">
          <HostActivity host={h} />
        </Card>
      ) : null}
    </>
  )
}
