import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { diffRows, nextResults, ResultStore } from './differential.js'
import { calendarTime, differentialLines, snapshotLines } from './result-log.js'
import { StateStore } from './state-store.js'

const a = { pid: '1', name: 'init' }
const b = { pid: '2', name: 'sshd' }
const c = { pid: '3', name: 'cron' }

describe('diffRows', () => {
  it('reports added and removed rows, ignoring column order', () => {
    expect(diffRows([a, b], [{ name: 'sshd', pid: '2' }, c])).toEqual({
      added: [c],
      removed: [a],
    })
  })

  it('counts duplicates as a multiset', () => {
    expect(diffRows([a, a, b], [a, b, b])).toEqual({ added: [b], removed: [a] })
    expect(diffRows([], [a, a])).toEqual({ added: [a, a], removed: [] })
  })
})

describe('nextResults (osquery addNewResults)', () => {
  it('logs everything as added with counter 0 on the first run', () => {
    const { outcome, store } = nextResults(undefined, 'SELECT 1', 0, [a, b])
    expect(outcome).toEqual({ added: [a, b], removed: [], counter: 0 })
    expect(store).toEqual({ query: 'SELECT 1', epoch: 0, counter: 0, rows: [a, b] })
  })

  it('advances the counter only when the results change', () => {
    const first = nextResults(undefined, 'q', 0, [a])
    const same = nextResults(first.store, 'q', 0, [a])
    expect(same.outcome).toEqual({ added: [], removed: [], counter: 0 })
    expect(same.store).toBeUndefined()
    const changed = nextResults(first.store, 'q', 0, [b])
    expect(changed.outcome).toEqual({ added: [b], removed: [a], counter: 1 })
    const again = nextResults(changed.store, 'q', 0, [b, c])
    expect(again.outcome.counter).toBe(2)
  })

  it('resets the counter when the query text changes, still diffing', () => {
    const previous = { query: 'old', epoch: 0, counter: 7, rows: [a] }
    const changed = nextResults(previous, 'new', 0, [a, b])
    expect(changed.outcome).toEqual({ added: [b], removed: [], counter: 0 })
    expect(changed.store?.query).toBe('new')
  })

  it('starts fresh on a new epoch', () => {
    const first = nextResults(undefined, 'q', 0, [a])
    expect(nextResults(first.store, 'q', 1, [a]).outcome).toEqual({
      added: [a],
      removed: [],
      counter: 0,
    })
  })
})

describe('ResultStore', () => {
  it('persists previous results so a restart only logs the difference', () => {
    const dir = mkdtempSync(join(tmpdir(), 'osqueryd-results-'))
    const first = StateStore.open(dir)
    expect(new ResultStore(first.db).record('pack/Global/procs', 'q', 0, [a, b]).added).toEqual([
      a,
      b,
    ])
    first.close()

    const second = StateStore.open(dir)
    const outcome = new ResultStore(second.db).record('pack/Global/procs', 'q', 0, [b, c])
    expect(outcome).toEqual({ added: [c], removed: [a], counter: 1 })
    second.close()
  })
})

const header = {
  name: 'pack/Global/procs',
  hostIdentifier: 'host-1',
  unixTime: 1567540459,
  epoch: 0,
  counter: 3,
  decorations: { host_uuid: 'U-1' },
}
const format = {
  eventType: true,
  snapshotEventType: false,
  numerics: false,
  decorationsTopLevel: false,
}

describe('result log lines', () => {
  it('formats calendarTime as asctime in UTC', () => {
    expect(calendarTime(1567540459)).toBe('Tue Sep  3 19:54:19 2019 UTC')
    expect(calendarTime(1700000000)).toBe('Tue Nov 14 22:13:20 2023 UTC')
  })

  it('writes one event per row with columns and action', () => {
    const lines = differentialLines(header, { added: [b], removed: [a] }, format).map((l) =>
      JSON.parse(l),
    )
    expect(lines).toEqual([
      {
        name: 'pack/Global/procs',
        hostIdentifier: 'host-1',
        calendarTime: 'Tue Sep  3 19:54:19 2019 UTC',
        unixTime: 1567540459,
        epoch: 0,
        counter: 3,
        numerics: false,
        decorations: { host_uuid: 'U-1' },
        columns: a,
        action: 'removed',
      },
      expect.objectContaining({ columns: b, action: 'added' }),
    ])
  })

  it('writes diffResults in batch mode, and nothing when nothing changed', () => {
    const [line] = differentialLines(
      header,
      { added: [b], removed: [] },
      { ...format, eventType: false },
    )
    expect(JSON.parse(line ?? '')).toMatchObject({
      diffResults: { added: [b], removed: [] },
      name: header.name,
      counter: 3,
    })
    expect(differentialLines(header, { added: [], removed: [] }, format)).toEqual([])
  })

  it('writes snapshots whole, or per row with logger_snapshot_event_type', () => {
    const [whole] = snapshotLines(header, [a, b], format)
    expect(JSON.parse(whole ?? '')).toMatchObject({
      snapshot: [a, b],
      action: 'snapshot',
      name: header.name,
    })
    const events = snapshotLines(header, [a, b], { ...format, snapshotEventType: true })
    expect(events.map((l) => JSON.parse(l).action)).toEqual(['snapshot', 'snapshot'])
  })

  it('honours logger_numerics and decorations_top_level', () => {
    const [line] = differentialLines(
      { ...header, decorations: { hostname: 'h' } },
      { added: [{ pid: '12', name: '3x', ratio: '0.5' }], removed: [] },
      { ...format, numerics: true, decorationsTopLevel: true },
    )
    const parsed = JSON.parse(line ?? '')
    expect(parsed.columns).toEqual({ pid: 12, name: '3x', ratio: 0.5 })
    expect(parsed.numerics).toBe(true)
    expect(parsed.hostname).toBe('h')
    expect(parsed.decorations).toBeUndefined()
  })
})
