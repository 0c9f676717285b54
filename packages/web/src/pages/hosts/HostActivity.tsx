import { listActivities, type HostDetailJson } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { client } from '../../app/client.js'
import { ActivityList } from '../../components/ActivityList.js'
import { Empty, ErrorNotice, Loading } from '../../components/ui.js'
import { concernsHost } from '../../lib/host-activities.js'

/** How far back the host page looks in the activity feed. */
const RECENT = 200

/** The host's past activity: the recent feed's entries that concern it, newest first. */
export function HostActivity({ host }: { host: HostDetailJson }) {
  const activities = useQuery({
    queryKey: ['activities', 'recent', RECENT],
    queryFn: () =>
      client.call(listActivities, {
        query: { per_page: RECENT, page: 0, order_key: 'created_at', order_direction: 'desc' },
      }),
  })
  if (activities.isPending) {
    return <Loading what="activity" />
  }
  if (activities.isError) {
    return <ErrorNotice error={activities.error} onRetry={() => void activities.refetch()} />
  }
  const mine = activities.data.activities.filter((a) => concernsHost(a, host))
  if (mine.length === 0) {
    return <Empty>No recent activity concerns this host.</Empty>
  }
  return <ActivityList label="Host activity" activities={mine} />
}
