import { listActivities } from '@fleet/api'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useSearchParams } from 'react-router'
import { client } from '../../app/client.js'
import { ActivityList } from '../../components/ActivityList.js'
import { Button, Card, Empty, ErrorNotice, Loading } from '../../components/ui.js'
import styles from './activity.module.css'

const PER_PAGE = 20

/** The page number in `?page=` (0-based, as Fleet's API), 0 when absent or not a number. */
function usePage(): [number, (page: number) => void] {
  const [params, setParams] = useSearchParams()
  const raw = params.get('page')
  const page = raw !== null && /^\d{1,6}$/.test(raw) ? Number(raw) : 0
  const setPage = (next: number) => {
    const copy = new URLSearchParams(params)
    if (next === 0) {
      copy.delete('page')
    } else {
      copy.set('page', String(next))
    }
    setParams(copy)
  }
  return [page, setPage]
}

/**
 * `/activity`: the audit log, newest first, 20 to a page, each entry in plain words with who did
 * it and when. Global users only (the server's rule; others get "You don't have access").
 */
export function ActivityPage() {
  const [page, setPage] = usePage()
  const activities = useQuery({
    queryKey: ['activities', 'page', page],
    queryFn: () =>
      client.call(listActivities, {
        query: { page, per_page: PER_PAGE, order_key: 'created_at', order_direction: 'desc' },
      }),
    placeholderData: keepPreviousData,
  })
  const body = () => {
    if (activities.isPending) {
      return <Loading what="activity" />
    }
    if (activities.isError) {
      return <ErrorNotice error={activities.error} onRetry={() => void activities.refetch()} />
    }
    const { activities: items, meta } = activities.data
    if (items.length === 0) {
      return <Empty>{page === 0 ? 'Nothing has happened yet.' : 'No activity on this page.'}</Empty>
    }
    return (
      <>
        <ActivityList label="Activities" activities={items} />
        <div className={styles.pager}>
          <span>Page {page + 1}</span>
          <Button
            variant="secondary"
            disabled={!meta.has_previous_results}
            onClick={() => setPage(page - 1)}
          >
            Previous
          </Button>
          <Button
            variant="secondary"
            disabled={!meta.has_next_results}
            onClick={() => setPage(page + 1)}
          >
            Next
          </Button>
        </div>
      </>
    )
  }
  return (
    <>
      <h1>Activity</h1>
      <Card>{body()}</Card>
    </>
  )
}
