import { countTargets, createLiveQueryCampaign, getHost, getQuery } from '@fleet/api'
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query'
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { useLocation, useParams, useSearchParams } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { Button, Card, ErrorNotice, Field, Loading, Notice } from '../../components/ui.js'
import {
  addTarget,
  parseHostIds,
  targetCountText,
  targetIds,
  type Target,
} from '../../lib/live-targets.js'
import { canRunLiveQuery } from '../../lib/roles.js'
import { LiveResults } from './LiveResults.js'
import { TargetPicker } from './TargetPicker.js'
import styles from './live.module.css'

/** The hosts of `?host_ids=` ("Query this host"), as picked targets; unknown ones are left out. */
function useInitialHosts(ids: number[]) {
  return useQuery({
    queryKey: ['live-initial-hosts', ids],
    enabled: ids.length > 0,
    queryFn: async () => {
      const found = await Promise.allSettled(
        ids.map((id) => client.call(getHost, { params: { id } })),
      )
      return found.flatMap((r): Target[] =>
        r.status === 'fulfilled'
          ? [{ kind: 'host', id: r.value.host.id, name: r.value.host.display_name }]
          : [],
      )
    },
  })
}

function useTargetCount(picked: readonly Target[], queryId: number | undefined) {
  const selected = targetIds(picked)
  return useQuery({
    queryKey: ['targets-count', queryId, selected],
    enabled: picked.length > 0,
    placeholderData: keepPreviousData,
    queryFn: () => client.call(countTargets, { body: { query_id: queryId ?? null, selected } }),
  })
}

/**
 * `/queries/:id/live` and `/queries/new/live`: run a saved query or new SQL (`?sql=`) on picked
 * hosts, labels and teams (`?host_ids=` pre-picks hosts), and watch the answers stream in. A
 * link to another query or other hosts starts afresh (and ends a running query); switching team
 * does not.
 */
export function LiveQueryPage() {
  const { pathname } = useLocation()
  const [search] = useSearchParams()
  return <LiveQuery key={`${pathname}?${search.get('sql')}&${search.get('host_ids')}`} />
}

function LiveQuery() {
  const params = useParams()
  const [search] = useSearchParams()
  const me = useMe()
  const savedId =
    params.id !== undefined && /^\d{1,9}$/.test(params.id) ? Number(params.id) : undefined
  const badId = params.id !== undefined && savedId === undefined
  const saved = useQuery({
    queryKey: ['query', savedId],
    enabled: savedId !== undefined,
    queryFn: async () => (await client.call(getQuery, { params: { id: savedId ?? 0 } })).query,
  })
  const [sql, setSql] = useState(() => search.get('sql') ?? '')
  const [picked, setPicked] = useState<readonly Target[]>([])
  const [campaignId, setCampaignId] = useState<number | undefined>(undefined)
  const [ended, setEnded] = useState(true)
  const initial = useInitialHosts(parseHostIds(search.get('host_ids')))
  useEffect(() => {
    if (initial.data) {
      setPicked((current) => initial.data.reduce(addTarget, current))
    }
  }, [initial.data])
  const count = useTargetCount(picked, savedId)
  const run = useMutation({
    mutationFn: () =>
      client.call(createLiveQueryCampaign, {
        body: {
          ...(savedId === undefined ? { query: sql } : { query_id: savedId }),
          selected: targetIds(picked),
        },
      }),
    onSuccess: ({ campaign }) => {
      setEnded(false)
      setCampaignId(campaign.id)
    },
  })
  const onEnded = useCallback((value: boolean) => setEnded(value), [])

  if (badId) {
    return <ErrorNotice error={new Error(`"${params.id}" is not a query id.`)} />
  }
  if (saved.isPending && savedId !== undefined) {
    return <Loading what="the query" />
  }
  if (saved.isError) {
    return <ErrorNotice error={saved.error} onRetry={() => void saved.refetch()} />
  }
  const query = saved.data
  const allowed = canRunLiveQuery(me.user, query?.observer_can_run ?? false)
  const running = campaignId !== undefined && !ended
  const text = query?.query ?? sql
  const counts = count.data && {
    total: count.data.targets_count,
    online: count.data.targets_online,
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    run.mutate()
  }
  return (
    <>
      <h1>{query ? `Live query: ${query.name}` : 'New live query'}</h1>
      {!allowed ? (
        <Notice>
          {query
            ? 'Your role cannot run this query live: it does not allow observers to run it.'
            : 'Your role can run only saved queries that allow observers to run them.'}
        </Notice>
      ) : null}
      <form onSubmit={onSubmit} aria-label="Live query">
        <Card title="Query">
          {query ? (
            <>
              {query.description ? <p>{query.description}</p> : null}
              <pre className={styles.sql} aria-label="SQL" tabIndex={0}>
                {query.query}
              </pre>
            </>
          ) : (
            <Field id="live-sql" label="SQL">
              {(id) => (
                <textarea
                  id={id}
                  rows={5}
                  spellCheck={false}
                  required
                  className={styles.sqlInput}
                  value={sql}
                  disabled={running}
                  onChange={(e) => setSql(e.target.value)}
                />
              )}
            </Field>
          )}
        </Card>
        <Card title="Targets">
          {initial.isPending && initial.fetchStatus !== 'idle' ? <Loading what="hosts" /> : null}
          <TargetPicker
            picked={picked}
            onChange={setPicked}
            allTeams={me.user.global_role !== null}
            disabled={running}
          />
          <p className={styles.count} aria-live="polite" data-testid="target-count">
            {targetCountText(picked, counts)}
          </p>
          {count.isError ? (
            <ErrorNotice error={count.error} onRetry={() => void count.refetch()} />
          ) : null}
        </Card>
        {run.isError ? <ErrorNotice error={run.error} /> : null}
        <Button
          type="submit"
          disabled={
            !allowed || running || run.isPending || picked.length === 0 || text.trim() === ''
          }
        >
          {run.isPending ? 'Starting…' : campaignId === undefined ? 'Run' : 'Run again'}
        </Button>
      </form>
      {campaignId !== undefined ? (
        <LiveResults key={campaignId} campaignId={campaignId} onEnded={onEnded} />
      ) : null}
    </>
  )
}
