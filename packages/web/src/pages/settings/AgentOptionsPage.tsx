import { getConfig, getTeam } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router'
import { stringify } from 'yaml'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { ErrorNotice, Loading, Notice } from '../../components/ui.js'
import { canEditSettings } from '../../lib/roles.js'
import { AgentOptionsEditor } from './AgentOptionsEditor.js'
import { SettingsNav } from './SettingsNav.js'
import styles from './settings.module.css'

/** Agent options as YAML text; a team without its own options starts empty. */
function yamlText(options: Record<string, unknown> | null | undefined): string {
  return options ? stringify(options) : ''
}

/** The organization's agent options (undefined: not shown to this user) or a team's. */
function useAgentOptions(teamId: number | null, enabled: boolean) {
  return useQuery({
    queryKey: ['agent_options', teamId],
    enabled,
    queryFn: async () =>
      teamId === null
        ? ((await client.call(getConfig)).agent_options ?? null)
        : (await client.call(getTeam, { params: { id: teamId } })).team.agent_options,
  })
}

/** Global or one of the user's teams: moves between Fleet's two agent options URLs. */
function ScopePicker({ teamId }: { teamId: number | null }) {
  const me = useMe()
  const navigate = useNavigate()
  const teams = me.available_teams
  if (teams.length === 0) {
    return null
  }
  return (
    <div className={styles.scope}>
      <div>
        <label htmlFor="agent-options-scope">Options for</label>{' '}
        <select
          id="agent-options-scope"
          value={teamId ?? ''}
          onChange={(e) =>
            void navigate(
              e.target.value === ''
                ? '/settings/organization/agents'
                : `/settings/teams/${e.target.value}/options`,
            )
          }
        >
          {me.user.global_role !== null ? <option value="">All hosts (global)</option> : null}
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              Team: {t.name}
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}

/**
 * `/settings/organization/agents` and `/settings/teams/:teamId/options`: the osquery and fleetd
 * options hosts receive, edited as YAML. Global admins edit the global ones, team admins their
 * team's; everyone else who may see them gets them read-only.
 */
export function AgentOptionsPage() {
  const raw = useParams().teamId
  const valid = raw === undefined || /^\d{1,9}$/.test(raw)
  const teamId = raw === undefined || !valid ? null : Number(raw)
  const me = useMe()
  const options = useAgentOptions(teamId, valid)
  const editable = canEditSettings(me.user, teamId)
  const body = () => {
    if (!valid) {
      return <ErrorNotice error={new Error(`"${raw}" is not a team id`)} />
    }
    if (options.isPending) {
      return <Loading what="the agent options" />
    }
    if (options.isError) {
      return <ErrorNotice error={options.error} onRetry={() => void options.refetch()} />
    }
    if (options.data === null && teamId === null && !editable) {
      return <Notice>Only global admins can see the global agent options.</Notice>
    }
    return (
      <>
        {editable ? null : <Notice>You can read these options but not change them.</Notice>}
        <AgentOptionsEditor
          key={String(teamId)}
          teamId={teamId}
          initial={yamlText(options.data)}
          editable={editable}
        />
      </>
    )
  }
  return (
    <>
      <h1>Settings</h1>
      <SettingsNav />
      <p>
        Agent options configure osquery and fleetd on every host
        {teamId === null ? ' that has no team options of its own' : ' of this team'}. Hosts pick
        changes up at their next check-in.
      </p>
      <ScopePicker teamId={teamId} />
      {body()}
    </>
  )
}
