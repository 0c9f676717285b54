import { Navigate, NavLink, useLocation } from 'react-router'
import { teamQuery, useTeamId } from '../../app/team.js'
import styles from '../settings/settings.module.css'

/**
 * The heading and tabs of Controls, at Fleet's URLs. Only OS settings → Custom settings exists
 * (no OS updates, disk encryption, scripts or setup experience yet), so it is the one tab.
 */
export function ControlsNav() {
  const team = teamQuery(useTeamId())
  return (
    <>
      <h1>Controls</h1>
      <nav aria-label="Controls" className={styles.tabs}>
        <NavLink to={`/controls/os-settings/custom-settings${team}`}>OS settings</NavLink>
      </nav>
    </>
  )
}

/** `/controls` and `/controls/os-settings` open Custom settings, keeping the team. */
export function ControlsRedirect() {
  const { search } = useLocation()
  return <Navigate to={{ pathname: '/controls/os-settings/custom-settings', search }} replace />
}
