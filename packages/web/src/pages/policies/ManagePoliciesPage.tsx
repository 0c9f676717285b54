import { listTeamPolicies } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { usePolicies } from '../../app/policies.js'
import { useTeamId } from '../../app/team.js'
import { PageTitle } from '../../components/PageTitle.js'
import { QueryStatus } from '../../components/QueryStatus.js'
import { Button, Empty } from '../../components/ui.js'
import { canEditPolicyWebhook } from '../../lib/admin-roles.js'
import { canWrite } from '../../lib/roles.js'
import { PolicyAutomations } from './PolicyAutomations.js'
import { PolicyForm } from './PolicyForm.js'
import { PolicyTable } from './PolicyTable.js'

/** A team's view also lists the global policies its hosts inherit, counted over its hosts. */
function InheritedPolicies({ teamId }: { teamId: number }) {
  const inherited = useQuery({
    queryKey: ['policies', teamId, 'inherited'],
    queryFn: async () =>
      (await client.call(listTeamPolicies, { params: { id: teamId }, query: {} }))
        .inherited_policies ?? [],
  })
  if (inherited.data?.length === 0) {
    return null
  }
  return (
    <section aria-labelledby="inherited-policies">
      <h2 id="inherited-policies">Inherited policies</h2>
      <p>
        Global policies apply to this team&apos;s hosts too; the counts are this team&apos;s hosts.
      </p>
      <QueryStatus query={inherited} what="inherited policies" />
      {inherited.data ? (
        <PolicyTable caption="Inherited policies" policies={inherited.data} teamId={teamId} />
      ) : null}
    </section>
  )
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
        <PolicyTable caption="Policies" policies={policies.data} teamId={teamId} />
      ) : null}
      {teamId !== undefined ? <InheritedPolicies teamId={teamId} /> : null}
    </>
  )
}
