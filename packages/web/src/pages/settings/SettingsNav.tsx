import { NavLink } from 'react-router'
import { useMe } from '../../app/auth.js'
import { settingsTabs } from '../../lib/admin-roles.js'
import styles from './settings.module.css'

/**
 * The tabs of Settings, at Fleet's URLs: organization settings and agent options for everyone
 * (read-only but for global admins), then Users, Teams and Enroll secrets for those who manage
 * them.
 */
export function SettingsNav() {
  const tabs = settingsTabs(useMe().user)
  return (
    <nav aria-label="Settings" className={styles.tabs}>
      <NavLink to="/settings/organization" end>
        Organization settings
      </NavLink>
      <NavLink to="/settings/organization/agents">Agent options</NavLink>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to}>
          {tab.label}
        </NavLink>
      ))}
    </nav>
  )
}
