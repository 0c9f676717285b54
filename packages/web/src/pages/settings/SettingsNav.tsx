import { NavLink } from 'react-router'
import styles from './settings.module.css'

/** The tabs of Organization settings, at Fleet's URLs. */
export function SettingsNav() {
  return (
    <nav aria-label="Settings" className={styles.tabs}>
      <NavLink to="/settings/organization" end>
        Organization settings
      </NavLink>
      <NavLink to="/settings/organization/agents">Agent options</NavLink>
    </nav>
  )
}
