import { getConfigurationProfilesSummary } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { client } from '../../app/client.js'
import { QueryStatus } from '../../components/QueryStatus.js'
import { Card } from '../../components/ui.js'
import { osSettingsHostsLink, PROFILE_STATUSES, STATUS_NAMES } from '../../lib/os-settings.js'
import styles from './controls.module.css'

/**
 * The team's hosts by the worst status of their OS settings (verified, verifying, pending,
 * failed), each count a link to those hosts, as Fleet's OS settings page shows them.
 */
export function OsSettingsSummary({ teamId }: { teamId: number | undefined }) {
  const summary = useQuery({
    queryKey: ['profiles-summary', teamId ?? 0],
    queryFn: () =>
      client.call(getConfigurationProfilesSummary, { query: { team_id: teamId ?? 0 } }),
  })
  return (
    <Card title="Hosts by OS settings status">
      <QueryStatus query={summary} what="the OS settings summary" />
      {summary.data ? (
        <ul className={styles.summary}>
          {PROFILE_STATUSES.map((status) => (
            <li key={status}>
              <Link to={osSettingsHostsLink(status, teamId)}>
                <span>{STATUS_NAMES[status]}</span>
                <span className={styles.count}>{summary.data[status]}</span>
                <span className="visually-hidden"> hosts</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  )
}
