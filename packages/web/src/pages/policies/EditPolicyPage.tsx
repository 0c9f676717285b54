import { deleteGlobalPolicies, deleteTeamPolicies, getPolicy, type Policy } from '@fleet/api'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useNavigate, useParams } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { teamQuery } from '../../app/team.js'
import { ConfirmButton } from '../../components/ConfirmButton.js'
import { Facts, PageTitle } from '../../components/PageTitle.js'
import { QueryStatus } from '../../components/QueryStatus.js'
import { Card, ErrorNotice } from '../../components/ui.js'
import { canWrite } from '../../lib/roles.js'
import { PolicyForm } from './PolicyForm.js'
import styles from '../admin.module.css'

/** A policy as observers see it: every field, nothing to change. */
function PolicySummary({ policy }: { policy: Policy }) {
  return (
    <Card title="Policy">
      <Facts
        items={[
          ['Platforms', policy.platform || 'All'],
          ['Critical', policy.critical ? 'Yes' : 'No'],
          ['Description', policy.description || '—'],
          ['Resolution', policy.resolution || '—'],
        ]}
      />
      <h3>Query</h3>
      <pre className={styles.query}>{policy.query}</pre>
    </Card>
  )
}

function PolicyEditor({ policy }: { policy: Policy }) {
  const me = useMe()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const back = `/policies/manage${teamQuery(policy.team_id ?? undefined)}`
  const remove = useMutation({
    mutationFn: () =>
      policy.team_id === null
        ? client.call(deleteGlobalPolicies, { body: { ids: [policy.id] } })
        : client.call(deleteTeamPolicies, {
            params: { id: policy.team_id },
            body: { ids: [policy.id] },
          }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['policies'] })
      await navigate(back)
    },
  })
  const writer = canWrite(me.user, policy.team_id)
  return (
    <>
      <p>
        <Link to={back}>All policies</Link>
      </p>
      <PageTitle title={policy.name}>
        <span>{policy.team_id === null ? 'Global policy' : 'Team policy'}</span>
        {writer ? (
          <ConfirmButton
            label="Delete policy"
            question="Delete this policy and its results?"
            busy={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        ) : null}
      </PageTitle>
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
      {writer ? (
        <PolicyForm
          policy={policy}
          teamId={policy.team_id ?? undefined}
          onDone={() => void navigate(back)}
        />
      ) : (
        <PolicySummary policy={policy} />
      )}
    </>
  )
}

/** `/policies/:id` (Fleet's EDIT_POLICY): edit or delete a global or team policy. */
export function EditPolicyPage() {
  const { id: param } = useParams()
  const id = param !== undefined && /^\d{1,9}$/.test(param) ? Number(param) : 0
  const policy = useQuery({
    queryKey: ['policy', id],
    queryFn: async () => (await client.call(getPolicy, { params: { id } })).policy,
  })
  return policy.data ? (
    <PolicyEditor key={policy.data.updated_at} policy={policy.data} />
  ) : (
    <QueryStatus query={policy} what="the policy" />
  )
}
