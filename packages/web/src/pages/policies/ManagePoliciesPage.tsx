import type { Policy } from '@fleet/api'
import { useState } from 'react'
import { Link } from 'react-router'
import { useMe } from '../../app/auth.js'
import { usePolicies } from '../../app/policies.js'
import { useTeamId } from '../../app/team.js'
import { PageTitle } from '../../components/PageTitle.js'
import { QueryStatus } from '../../components/QueryStatus.js'
import { SimpleTable } from '../../components/SimpleTable.js'
import { Badge, Button, Empty } from '../../components/ui.js'
import { canEditPolicyWebhook } from '../../lib/admin-roles.js'
import { canWrite } from '../../lib/roles.js'
import { PolicyAutomations } from './PolicyAutomations.js'
import { PolicyForm } from './PolicyForm.js'

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

/**
 * `/policies/manage`: the policies in scope with passing and failing hosts; writers add one,
 * each name opens the policy to edit, admins manage the failing-policies webhook.
 */
export function ManagePoliciesPage() {
  const teamId = useTeamId()
  const me = useMe()
  const [open, setOpen] = useState<'add' | 'automations' | undefined>()
  const policies = usePolicies(teamId)
  const writer = canWrite(me.user, teamId ?? null)
  const automations = canEditPolicyWebhook(me.user, teamId ?? null)
  return (
    <>
      <PageTitle title="Policies">
        {open === undefined ? (
          <>
            {automations ? (
              <Button variant="secondary" onClick={() => setOpen('automations')}>
                Manage automations
              </Button>
            ) : null}
            {writer ? <Button onClick={() => setOpen('add')}>Add policy</Button> : null}
          </>
        ) : null}
      </PageTitle>
      {open === 'add' ? <PolicyForm teamId={teamId} onDone={() => setOpen(undefined)} /> : null}
      {open === 'automations' ? (
        <PolicyAutomations key={teamId ?? 0} teamId={teamId} onDone={() => setOpen(undefined)} />
      ) : null}
      <QueryStatus query={policies} what="policies" />
      {policies.data?.length === 0 ? <Empty>No policies yet.</Empty> : null}
      {policies.data && policies.data.length > 0 ? (
        <SimpleTable
          caption="Policies"
          columns={['Name', 'Platform', 'Passing hosts', 'Failing hosts']}
        >
          {policies.data.map((p) => (
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
      ) : null}
    </>
  )
}
