import type { Policy } from '@fleet/api'
import { Link } from 'react-router'
import { SimpleTable } from '../../components/SimpleTable.js'
import { Badge } from '../../components/ui.js'

/** Fleet's EDIT_POLICY URL: `/policies/:id`, with `?team_id=` for a team's policy. */
function policyPath(policy: Policy): string {
  return `/policies/${policy.id}${policy.team_id === null ? '' : `?team_id=${policy.team_id}`}`
}

function hostsLink(policy: Policy, response: 'passing' | 'failing', teamId: number | undefined) {
  const team = teamId === undefined ? '' : `&team_id=${teamId}`
  return `/hosts/manage?policy_id=${policy.id}&policy_response=${response}${team}`
}

/** A count linking to its hosts; "not counted yet" until the periodic count has run. */
function HostCount({
  policy,
  response,
  teamId,
}: {
  policy: Policy
  response: 'passing' | 'failing'
  teamId: number | undefined
}) {
  if (policy.host_count_updated_at === null) {
    return <span>Not counted yet</span>
  }
  const count = response === 'passing' ? policy.passing_host_count : policy.failing_host_count
  return <Link to={hostsLink(policy, response, teamId)}>{count}</Link>
}

/** Policies with their pass/fail host counts (over the team in scope), each linking to its page. */
export function PolicyTable({
  caption,
  policies,
  teamId,
}: {
  caption: string
  policies: Policy[]
  teamId: number | undefined
}) {
  return (
    <SimpleTable caption={caption} columns={['Name', 'Platform', 'Passing hosts', 'Failing hosts']}>
      {policies.map((p) => (
        <tr key={p.id}>
          <td>
            <Link to={policyPath(p)}>{p.name}</Link>
            {p.critical ? (
              <>
                {' '}
                <Badge tone="fail">Critical</Badge>
              </>
            ) : null}
          </td>
          <td>{p.platform || 'All'}</td>
          <td>
            <HostCount policy={p} response="passing" teamId={teamId} />
          </td>
          <td>
            <HostCount policy={p} response="failing" teamId={teamId} />
          </td>
        </tr>
      ))}
    </SimpleTable>
  )
}
