import type { Activity } from '@fleet/api'
import { describeActivity } from '../lib/activity-text.js'
import { timeAgo } from '../lib/format.js'
import styles from './activity.module.css'

/** Activities in plain words with how long ago, newest first as given. */
export function ActivityList({ label, activities }: { label: string; activities: Activity[] }) {
  return (
    <ul className={styles.list} aria-label={label}>
      {activities.map((a) => (
        <li key={a.id}>
          <span>{describeActivity(a)}</span>
          <span className={styles.when}>{timeAgo(a.created_at)}</span>
        </li>
      ))}
    </ul>
  )
}
