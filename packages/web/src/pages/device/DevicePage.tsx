import {
  getDeviceHost,
  listDevicePolicies,
  refetchDeviceHost,
  type DeviceHostJson,
  type DevicePolicy,
} from '@fleet/api'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useParams } from 'react-router'
import { deviceClient } from '../../app/device-client.js'
import { FactList } from '../../components/FactList.js'
import { Badge, Button, Card, Empty, ErrorNotice, Loading } from '../../components/ui.js'
import { isInvalidDeviceLink, policySummary, sortDevicePolicies } from '../../lib/device.js'
import { formatBytes, timeAgo } from '../../lib/format.js'
import { DataCollected } from './DataCollected.js'
import { DeviceFrame } from './DeviceFrame.js'
import { ExpiredLink } from './ExpiredLink.js'
import styles from './device.module.css'

/** How often the page asks for the host while a refetch is pending. */
const REFETCH_POLL_MS = 2_000

function Facts({ host }: { host: DeviceHostJson }) {
  const rows: [string, string][] = [
    ['Last seen', timeAgo(host.seen_time)],
    ['Operating system', host.os_version || host.platform || '—'],
    ['Hardware', [host.hardware_vendor, host.hardware_model].filter(Boolean).join(' ') || '—'],
    ['Serial number', host.hardware_serial || '—'],
    ['Memory', host.memory > 0 ? formatBytes(host.memory) : '—'],
    ['Disk space available', `${host.gigs_disk_space_available} GB`],
    ['IP address', host.primary_ip || '—'],
    ['Vitals updated', timeAgo(host.detail_updated_at)],
  ]
  return <FactList rows={rows} className={styles.facts} />
}

function PolicyItem({ policy }: { policy: DevicePolicy }) {
  const tone = policy.response === 'pass' ? 'pass' : policy.response === 'fail' ? 'fail' : 'new'
  const word =
    policy.response === 'pass' ? 'Pass' : policy.response === 'fail' ? 'Fail' : 'Not checked yet'
  return (
    <li>
      <div className={styles.policyHead}>
        <span>{policy.name}</span>
        <Badge tone={tone}>{word}</Badge>
        {policy.critical ? <Badge tone="fail">Critical</Badge> : null}
      </div>
      {policy.description ? <p className={styles.muted}>{policy.description}</p> : null}
      {policy.response === 'fail' && policy.resolution ? (
        <div className={styles.resolution}>
          <strong>How to fix: </strong>
          {policy.resolution}
        </div>
      ) : null}
    </li>
  )
}

function Policies({ token }: { token: string }) {
  const policies = useQuery({
    queryKey: ['device', token, 'policies'],
    queryFn: async () =>
      (await deviceClient.call(listDevicePolicies, { params: { token } })).policies,
  })
  if (policies.isPending) {
    return <Loading what="policies" />
  }
  if (policies.isError) {
    return <ErrorNotice error={policies.error} onRetry={() => void policies.refetch()} />
  }
  if (policies.data.length === 0) {
    return <Empty>{policySummary(policies.data)}</Empty>
  }
  return (
    <>
      <p>{policySummary(policies.data)}</p>
      <ul className={styles.policies} aria-label="Policies">
        {sortDevicePolicies(policies.data).map((p) => (
          <PolicyItem key={p.id} policy={p} />
        ))}
      </ul>
    </>
  )
}

/**
 * `/device/:token`: the end user's transparency page, authorized by the device token alone —
 * the device's name and facts, its policies with what to do about failing ones, what Fleet
 * collects, and a refetch that shows progress until the host has reported again.
 */
export function DevicePage() {
  const token = useParams().token ?? ''
  const [waiting, setWaiting] = useState(false)
  const queryClient = useQueryClient()
  const host = useQuery({
    queryKey: ['device', token, 'host'],
    queryFn: async () => {
      const answer = await deviceClient.call(getDeviceHost, { params: { token } })
      if (waiting && !answer.host.refetch_requested) {
        // The host has reported again: its policy answers may have changed too.
        setWaiting(false)
        void queryClient.invalidateQueries({ queryKey: ['device', token, 'policies'] })
      }
      return answer
    },
    refetchInterval: waiting ? REFETCH_POLL_MS : false,
  })
  const refetch = useMutation({
    mutationFn: () => deviceClient.call(refetchDeviceHost, { params: { token } }),
    onSuccess: () => setWaiting(true),
  })
  if (host.isPending) {
    return (
      <DeviceFrame>
        <Loading what="your device" />
      </DeviceFrame>
    )
  }
  if (host.isError) {
    return isInvalidDeviceLink(host.error) ? (
      <ExpiredLink />
    ) : (
      <DeviceFrame>
        <ErrorNotice error={host.error} onRetry={() => void host.refetch()} />
      </DeviceFrame>
    )
  }
  const { host: h, org_contact_url: contact } = host.data
  const refetching = refetch.isPending || waiting
  return (
    <DeviceFrame>
      <div className={styles.titleRow}>
        <h1>{h.display_name}</h1>
        <Badge tone={h.status}>{h.status}</Badge>
        <div className={styles.refetch}>
          {refetching ? <span role="status">Waiting for your device to report…</span> : null}
          <Button variant="secondary" disabled={refetching} onClick={() => refetch.mutate()}>
            {refetching ? 'Refetching…' : 'Refetch'}
          </Button>
        </div>
      </div>
      {refetch.isError ? <ErrorNotice error={refetch.error} /> : null}
      <Card title="About this device">
        <Facts host={h} />
      </Card>
      <Card title="Policies">
        <Policies token={token} />
      </Card>
      <DataCollected token={token} />
      {contact ? (
        <p>
          Questions?{' '}
          <a href={contact} target="_blank" rel="noreferrer noopener">
            Contact your IT team
          </a>
          .
        </p>
      ) : null}
    </DeviceFrame>
  )
}
