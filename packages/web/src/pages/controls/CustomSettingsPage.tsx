import { listConfigurationProfiles } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { useTeamId } from '../../app/team.js'
import { PageTitle } from '../../components/PageTitle.js'
import { QueryStatus } from '../../components/QueryStatus.js'
import { Button, Empty, Notice } from '../../components/ui.js'
import { canManageControls } from '../../lib/admin-roles.js'
import { ControlsNav } from './ControlsNav.js'
import { OsSettingsSummary } from './OsSettingsSummary.js'
import { ProfileTable } from './ProfileTable.js'
import { ProfileUploadDialog } from './ProfileUploadDialog.js'

/** Profiles are per team; without a team chosen the page shows "No team"'s, as Fleet does. */
function scopeText(teamId: number | undefined): string {
  return teamId === undefined ? 'hosts on no team' : "this team's hosts"
}

/**
 * `/controls/os-settings/custom-settings`: the team's configuration profiles and DDM
 * declarations, the hosts by OS settings status, upload with label scoping, download, delete.
 * Admins and maintainers (global, or of the team) only: observers never see profiles.
 */
export function CustomSettingsPage() {
  const me = useMe()
  const teamId = useTeamId()
  const [adding, setAdding] = useState(false)
  const allowed = canManageControls(me.user, teamId ?? null)
  const profiles = useQuery({
    queryKey: ['profiles', teamId ?? 0],
    queryFn: () =>
      client.call(listConfigurationProfiles, { query: { team_id: teamId ?? 0, per_page: 1000 } }),
    enabled: allowed,
  })
  if (!allowed) {
    return (
      <>
        <ControlsNav />
        <Notice>
          You don&apos;t have access:{' '}
          {teamId === undefined
            ? 'choose one of your teams, whose admins and maintainers manage its OS settings.'
            : 'only admins and maintainers manage OS settings.'}
        </Notice>
      </>
    )
  }
  return (
    <>
      <ControlsNav />
      <OsSettingsSummary teamId={teamId} />
      <PageTitle title="Custom settings" level={2}>
        <Button onClick={() => setAdding(true)}>Add profile</Button>
      </PageTitle>
      <p>
        Configuration profiles (.mobileconfig) and declarations (DDM .json) that apply custom
        settings to {scopeText(teamId)}.
      </p>
      {adding ? <ProfileUploadDialog teamId={teamId} onClose={() => setAdding(false)} /> : null}
      <QueryStatus query={profiles} what="configuration profiles" />
      {profiles.data?.profiles.length === 0 ? (
        <Empty>No configuration profiles yet: add one to apply custom settings.</Empty>
      ) : null}
      {profiles.data && profiles.data.profiles.length > 0 ? (
        <ProfileTable profiles={profiles.data.profiles} teamId={teamId} />
      ) : null}
    </>
  )
}
