import { useEffect, useState } from 'react'
import { Button, Empty, Notice } from '../../components/ui.js'
import { liveResultsCsv } from '../../lib/live-csv.js'
import { liveProgress, type LiveResults as Results } from '../../lib/live-results.js'
import { ErrorsTable } from './ErrorsTable.js'
import { ResultsTable } from './ResultsTable.js'
import { useLiveCampaign } from './useLiveCampaign.js'
import styles from './live.module.css'

type Tab = 'results' | 'errors'

/** Saves the rows as a CSV file through a temporary link (no server round trip). */
function downloadCsv(results: Results, campaignId: number): void {
  const blob = new Blob([liveResultsCsv(results.rows, results.columns)], {
    type: 'text/csv;charset=utf-8',
  })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = `live-query-${campaignId}.csv`
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Where the stream is, in words: running, reconnecting, stopped, or why it failed. */
function ConnectionNotice({ results }: { results: Results }) {
  switch (results.connection) {
    case 'connecting':
      return <Notice>Connecting to the results stream…</Notice>
    case 'reconnecting':
      return (
        <div className={styles.warning} role="alert">
          <strong>Connection to the results stream lost.</strong> Reconnecting… Results already
          received are kept.
        </div>
      )
    case 'failed':
      return (
        <div className={styles.failure} role="alert">
          <strong>The live query stopped.</strong> {results.failure}
        </div>
      )
    case 'stopped':
      return <Notice>Stopped. The hosts are no longer asked.</Notice>
    case 'open':
      return results.drops > 0 ? <Notice>Reconnected to the results stream.</Notice> : null
  }
}

/** A running live query: progress, results and errors tabs, stop and CSV export. */
export function LiveResults({
  campaignId,
  onEnded,
}: {
  campaignId: number
  onEnded?: (ended: boolean) => void
}) {
  const { results, stop } = useLiveCampaign(campaignId)
  const [tab, setTab] = useState<Tab>('results')
  const progress = liveProgress(results)
  const running = results.connection === 'open' || results.connection === 'reconnecting'
  const ended = results.connection === 'stopped' || results.connection === 'failed'
  useEffect(() => onEnded?.(ended), [ended, onEnded])
  const tabs: { id: Tab; label: string }[] = [
    { id: 'results', label: `Results (${results.rows.length})` },
    { id: 'errors', label: `Errors (${results.errors.length})` },
  ]
  return (
    <section className={styles.live} aria-label="Live query results">
      <div className={styles.progressRow}>
        <p className={styles.progress} aria-live="polite" data-testid="live-progress">
          <strong>{progress.responded}</strong> responded / <strong>{progress.online}</strong>{' '}
          online / <strong>{progress.total}</strong> total
          {results.finished && running ? ' — every online host answered' : ''}
        </p>
        <div className={styles.buttons}>
          {running || results.connection === 'connecting' ? (
            <Button variant="danger" onClick={stop}>
              Stop
            </Button>
          ) : null}
          <Button
            variant="secondary"
            disabled={results.rows.length === 0}
            onClick={() => downloadCsv(results, campaignId)}
          >
            Export CSV
          </Button>
        </div>
      </div>
      <ConnectionNotice results={results} />
      <div role="tablist" aria-label="Live query output" className={styles.tabs}>
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`live-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`live-panel-${t.id}`}
            className={tab === t.id ? styles.tabActive : styles.tab}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`live-panel-${tab}`} aria-labelledby={`live-tab-${tab}`}>
        {tab === 'results' ? (
          results.rows.length > 0 ? (
            <ResultsTable rows={results.rows} columns={results.columns} />
          ) : (
            <Empty>{running ? 'Waiting for hosts to answer…' : 'No rows.'}</Empty>
          )
        ) : results.errors.length > 0 ? (
          <ErrorsTable errors={results.errors} />
        ) : (
          <Empty>No host reported an error.</Empty>
        )}
      </div>
    </section>
  )
}
