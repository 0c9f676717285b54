import { Button, Field } from '../../components/ui.js'
import { PER_PAGE_CHOICES, withFilter, type HostListState } from '../../lib/host-list-params.js'
import styles from './hosts.module.css'

/** "1–20 of 130 hosts", hosts per page, previous and next: paging done by the server. */
export function Pager({
  state,
  set,
  total,
}: {
  state: HostListState
  set: (s: HostListState) => void
  total: number | undefined
}) {
  const first = state.page * state.perPage
  const shownTo =
    total === undefined ? first + state.perPage : Math.min(total, first + state.perPage)
  const hasNext = total === undefined ? false : shownTo < total
  return (
    <div className={styles.pager}>
      <span role="status">
        {total === undefined ? '' : `${total === 0 ? 0 : first + 1}–${shownTo} of ${total} hosts`}
      </span>
      <Field id="host-per-page" label="Hosts per page">
        {(id) => (
          <select
            id={id}
            value={state.perPage}
            onChange={(e) => set(withFilter(state, { perPage: Number(e.target.value) }))}
          >
            {PER_PAGE_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className={styles.pagerButtons}>
        <Button
          variant="secondary"
          disabled={state.page === 0}
          onClick={() => set(withFilter(state, { page: state.page - 1 }))}
        >
          Previous
        </Button>
        <Button
          variant="secondary"
          disabled={!hasNext}
          onClick={() => set(withFilter(state, { page: state.page + 1 }))}
        >
          Next
        </Button>
      </div>
    </div>
  )
}
