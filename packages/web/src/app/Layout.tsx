import { logout } from '@fleet/api'
import { NavLink, Outlet, useNavigate, useSearchParams } from 'react-router'
import { Button } from '../components/ui.js'
import { canManageControls, controlsTeamId } from '../lib/admin-roles.js'
import { useMe } from './auth.js'
import { client } from './client.js'
import { OrgLogo } from './OrgLogo.js'
import { session } from './session.js'
import { teamQuery, useTeamId } from './team.js'
import styles from './Layout.module.css'

/** The team switcher: changes `?team_id=` on the current page, which every page reads. */
function TeamSwitcher() {
  const me = useMe()
  const teamId = useTeamId()
  const [params, setParams] = useSearchParams()
  if (me.available_teams.length === 0) {
    return null
  }
  return (
    <div className={styles.team}>
      <label htmlFor="team-switcher">Team</label>
      <select
        id="team-switcher"
        value={teamId ?? ''}
        onChange={(event) => {
          const next = new URLSearchParams(params)
          next.delete('page')
          if (event.target.value === '') {
            next.delete('team_id')
          } else {
            next.set('team_id', event.target.value)
          }
          setParams(next)
        }}
      >
        {me.user.global_role !== null ? <option value="">All teams</option> : null}
        {me.available_teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </select>
    </div>
  )
}

/** The frame of every signed-in page: navigation, team switcher, the user and logout. */
export function Layout() {
  const me = useMe()
  const navigate = useNavigate()
  const teamId = useTeamId()
  const team = teamQuery(teamId)
  const onLogout = async () => {
    // The session ends here even when the server is unreachable; the token is then dropped.
    await client.call(logout).catch(() => undefined)
    session.end()
    await navigate('/login', { replace: true })
  }
  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <span className={styles.brand}>
          <OrgLogo />
          Fleet
        </span>
        <nav aria-label="Main" className={styles.nav}>
          <NavLink to={`/dashboard${team}`}>Dashboard</NavLink>
          <NavLink to={`/hosts/manage${team}`}>Hosts</NavLink>
          <NavLink to={`/policies/manage${team}`}>Policies</NavLink>
          <NavLink to={`/queries/manage${team}`}>Queries</NavLink>
          <NavLink to={`/queries/new/live${team}`}>Live query</NavLink>
          <NavLink to="/labels/manage">Labels</NavLink>
          {canManageControls(me.user) ? (
            <NavLink
              to={`/controls/os-settings/custom-settings${teamQuery(controlsTeamId(me.user, teamId))}`}
            >
              Controls
            </NavLink>
          ) : null}
          {me.user.global_role !== null ? <NavLink to="/activity">Activity</NavLink> : null}
          <NavLink to="/settings/organization">Settings</NavLink>
        </nav>
        <TeamSwitcher />
        <div className={styles.user}>
          <NavLink to="/account" title={`${me.user.email}: my account`} className={styles.account}>
            {me.user.name}
          </NavLink>
          <Button variant="secondary" onClick={() => void onLogout()}>
            Log out
          </Button>
        </div>
      </header>
      <main className={styles.main} id="main">
        <Outlet />
      </main>
    </div>
  )
}
