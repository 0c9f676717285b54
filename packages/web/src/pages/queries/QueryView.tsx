import type { Query } from '@fleet/api'
import { Link } from 'react-router'
import { useMe } from '../../app/auth.js'
import { SqlEditor } from '../../components/SqlEditor.js'
import { Card } from '../../components/ui.js'
import { timeAgo } from '../../lib/format.js'
import { intervalText, loggingText, platformText } from '../../lib/query-form.js'
import { canRunLiveQuery } from '../../lib/roles.js'
import { liveQueryLink } from './live-link.js'
import styles from './queries.module.css'

const yesNo = (value: boolean) => (value ? 'Yes' : 'No')

/** A query for users who may not change it: its SQL (read-only, highlighted) and settings. */
export function QueryView({ query }: { query: Query }) {
  const me = useMe()
  const mayRun = canRunLiveQuery(me.user, query.observer_can_run)
  return (
    <div className={styles.layout}>
      <Card title="Query">
        {query.description ? <p>{query.description}</p> : null}
        <span aria-hidden="true" className={styles.editorLabel}>
          SQL
        </span>
        <SqlEditor label="SQL" value={query.query} readOnly />
        {mayRun ? (
          <p>
            <Link
              className={styles.linkButton}
              to={liveQueryLink(query.id, query.query, query.team_id)}
            >
              Live query
            </Link>
          </p>
        ) : null}
      </Card>
      <Card title="Schedule and logging">
        <dl className={styles.settings}>
          <dt>Frequency</dt>
          <dd>{intervalText(query.interval)}</dd>
          <dt>Platforms</dt>
          <dd>{platformText(query.platform)}</dd>
          <dt>Minimum osquery version</dt>
          <dd>{query.min_osquery_version || 'Any'}</dd>
          <dt>Logging</dt>
          <dd>{loggingText(query.logging)}</dd>
          <dt>Automations</dt>
          <dd>{query.automations_enabled ? 'On' : 'Off'}</dd>
          <dt>Discard data</dt>
          <dd>{yesNo(query.discard_data)}</dd>
          <dt>Observers can run</dt>
          <dd>{yesNo(query.observer_can_run)}</dd>
          <dt>Author</dt>
          <dd>{query.author_name || query.author_email || 'Unknown'}</dd>
          <dt>Last modified</dt>
          <dd>{timeAgo(query.updated_at)}</dd>
        </dl>
      </Card>
    </div>
  )
}
