import { Link } from 'react-router'
import { useMe } from '../../app/auth.js'
import { administeredTeams } from '../../lib/admin-roles.js'
import { SettingsNav } from '../settings/SettingsNav.js'
import { EnrollSecretsCard } from './EnrollSecretsCard.js'

/**
 * `/settings/enroll-secrets`: the global enroll secrets (hosts enrolling with one join no team).
 * Fleet shows them in a "Manage enroll secrets" dialog of the hosts page; each team's are on its
 * team page.
 */
export function GlobalEnrollSecretsPage() {
  const me = useMe()
  const teams = administeredTeams(me.user)
  return (
    <>
      <h1>Settings</h1>
      <SettingsNav />
      <EnrollSecretsCard teamId={null} title="Global enroll secrets" />
      <p>
        Hosts that enroll with a global secret join no team.{' '}
        {teams === 'all' || teams.length > 0 ? (
          <>
            A team&apos;s own secrets are on its page under <Link to="/settings/teams">Teams</Link>.
          </>
        ) : null}
      </p>
    </>
  )
}
