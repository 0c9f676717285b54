import { listHostPastActivities, type HostDetailJson } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { client } from '../../app/client.js'
import { ActivityList } from '../../components/ActivityList.js'
import { Empty, ErrorNotice, Loading } from '../../components/ui.js'

/** How many of the host's activities the host page shows. */
const LATEST = 20

/** The host's past activity (`GET /hosts/:id/activities`), newest first. */
export function HostActivity({ host }: { host: HostDetailJson }) {
  const activities = useQuery({
    queryKey: ['activities', 'host', host.id, LATEST],
    queryFn: () =>
      client.call(listHostPastActivities, {
        params: { id: host.id },
        query: { page: 0, per_page: LATEST },
      }),
  })
  if (activities.isPending) {
    return <Loading what="activity" />
  }
  if (activities.isError) {
    return <ErrorNotice error={activities.error} onRetry={() => void activities.refetch()} />
  }
  if (activities.data.activities.length === 0) {
    return <Empty>No activity concerns this host yet.</Empty>
  }
  return (
    <>
      <ActivityList label="Host activity" activities={activities.data.activities} />
      {activities.data.meta.has_next_results ? (
        <p>The {LATEST} most recent are shown; the activity feed has the rest.</p>
      ) : null}
    </>
  )
}
