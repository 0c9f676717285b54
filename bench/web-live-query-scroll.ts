/**
 * W3 — the live query results table scrolls without long tasks over 100 ms at 10,000 rows.
 *
 *   npm run bench:web-live-scroll [-- --rows 10000 --baseline-rows 100 --hosts 100 --columns 8]
 *
 * One `fleet serve` serves the console; Debian's Chromium (1280×800) logs in and opens the live
 * query page. The results websocket is answered by the script (page.routeWebSocket): `--hosts`
 * hosts answer with `--rows` rows in all, `--columns` columns each, as fast as the page takes
 * them — the page's work, not the server's (B3 measures that). Then the results region is
 * scrolled top to bottom by mouse wheel, 400 px a step, one frame apart, and back to the top
 * with End/Home. Long tasks (PerformanceObserver 'longtask', ≥ 50 ms) are counted while the
 * rows stream in and while scrolling. Baseline, same run: `--baseline-rows` rows, scrolled with
 * as many wheel steps (down and up again), so both pages do the same scrolling work.
 */
import { mkdtempSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { adminApi, startFleetServer } from '../test/e2e/support.js'
import { launchChromium, newContext } from '../test/e2e/web/browser.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    'baseline-rows': { type: 'string', default: '100' },
    hosts: { type: 'string', default: '100' },
    columns: { type: 'string', default: '8' },
  },
})
const PASSWORD = 'bench-password-1!'
const HOSTS = Number(values.hosts)
const COLUMNS = Number(values.columns)
const CAMPAIGN_ID = 1

interface Phase {
  tasks: number
  over100: number
  maxMs: number
  totalMs: number
  wallMs: number
}

/** The `result` messages of `rows` rows spread over the hosts, like Fleet's. */
function resultMessages(rows: number): string[] {
  const perHost = Math.ceil(rows / HOSTS)
  const messages: string[] = []
  for (let h = 0; h < HOSTS && h * perHost < rows; h++) {
    const count = Math.min(perHost, rows - h * perHost)
    const name = `bench-host-${h + 1}`
    const hostRows = Array.from({ length: count }, (_, i) => {
      const row: Record<string, string> = { host_hostname: name, host_display_name: name }
      for (let c = 0; c < COLUMNS; c++) {
        row[`column_${c}`] = `value ${h}-${i}-${c} ${'x'.repeat((i * 7 + c) % 24)}`
      }
      return row
    })
    messages.push(
      JSON.stringify({
        type: 'result',
        data: {
          distributed_query_execution_id: CAMPAIGN_ID,
          host: { id: h + 1, hostname: name, display_name: name },
          rows: hostRows,
          error: null,
        },
      }),
    )
  }
  return messages
}

const OBSERVE = `window.__longtasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longtasks.push(e.duration)
}).observe({ type: 'longtask' });
window.__phaseStart = performance.now();`
const COLLECT = `(() => { const t = window.__longtasks; window.__longtasks = [];
  const wall = performance.now() - window.__phaseStart; window.__phaseStart = performance.now();
  return { tasks: t.length, over100: t.filter((d) => d > 100).length,
    maxMs: Math.max(0, ...t), totalMs: t.reduce((a, b) => a + b, 0), wallMs: wall } })()`

/**
 * `steps` wheel steps of 400 px in the region: down to the bottom, then up to the top and down
 * again as long as steps remain (the baseline's short list takes the same number of steps).
 */
async function wheel(page: Page, height: number, steps: number): Promise<void> {
  let top = 0
  let direction = 1
  for (let i = 0; i < steps; i++) {
    if ((direction > 0 && top >= height) || (direction < 0 && top <= 0)) {
      direction = -direction
    }
    await page.mouse.wheel(0, 400 * direction)
    top += 400 * direction
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => resolve(null)))')
  }
}

async function measure(browser: Browser, url: string, rows: number, steps?: number) {
  const page: Page = await (await newContext(browser)).newPage()
  const messages = resultMessages(rows)
  await page.routeWebSocket(/\/results\/websocket$/, (ws) => {
    ws.onMessage((text) => {
      if (typeof text !== 'string' || !text.includes('select_campaign')) {
        return
      }
      const online = messages.length
      ws.send(
        JSON.stringify({
          type: 'totals',
          data: { count: online, online, offline: 0, missing_in_action: 0 },
        }),
      )
      ws.send(
        JSON.stringify({
          type: 'status',
          data: { expected_results: online, actual_results: 0, status: 'pending' },
        }),
      )
      for (const message of messages) {
        ws.send(message)
      }
    })
  })
  await page.route('**/api/latest/fleet/queries/run', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        campaign: {
          id: CAMPAIGN_ID,
          query_id: null,
          status: 0,
          user_id: 1,
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
          Metrics: {
            TotalHosts: messages.length,
            OnlineHosts: messages.length,
            OfflineHosts: 0,
            MissingInActionHosts: 0,
            NewHosts: 0,
          },
        },
      }),
    }),
  )
  await page.goto(`${url}/login`)
  await page.getByLabel('Email').fill('admin@example.com')
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL('**/dashboard')
  await page.goto(`${url}/queries/new/live?sql=${encodeURIComponent('SELECT * FROM bench')}`)
  await page.getByLabel('Search hosts, labels and teams').fill('All Hosts')
  await page.getByRole('button', { name: 'All Hosts (label): add to targets' }).click()
  await page.evaluate(OBSERVE)
  await page.getByRole('button', { name: 'Run' }).click()
  const region = page.getByRole('region', { name: `Results, ${rows} rows` })
  await region.waitFor({ timeout: 120_000 })
  const stream = (await page.evaluate(COLLECT)) as Phase
  await region.scrollIntoViewIfNeeded()
  const box = await region.boundingBox()
  if (!box) {
    throw new Error('the results region has no box')
  }
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  const height = await region.evaluate(
    (el: { scrollHeight: number; clientHeight: number }) => el.scrollHeight - el.clientHeight,
  )
  await page.evaluate(OBSERVE)
  const wheelSteps = steps ?? Math.ceil(height / 400)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const before = (await cdp.send('Performance.getMetrics')).metrics
  await wheel(page, height, wheelSteps)
  const after = (await cdp.send('Performance.getMetrics')).metrics
  // Chromium's main-thread time by kind over the wheel steps, in ms per step.
  const perStep = (name: string) => {
    const a = after.find((m) => m.name === name)?.value ?? 0
    const b = before.find((m) => m.name === name)?.value ?? 0
    return ((a - b) * 1000) / wheelSteps
  }
  const costs = {
    task: perStep('TaskDuration'),
    script: perStep('ScriptDuration'),
    layout: perStep('LayoutDuration'),
    style: perStep('RecalcStyleDuration'),
  }
  await region.focus()
  await page.keyboard.press('Home')
  await page.keyboard.press('End')
  await page.keyboard.press('Home')
  await page.evaluate(
    'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(null))))',
  )
  const scroll = (await page.evaluate(COLLECT)) as Phase
  const rendered = await region.evaluate(
    (el: { querySelectorAll(s: string): { length: number } }) =>
      el.querySelectorAll('tbody tr').length,
  )
  await page.context().close()
  return { rows, stream, scroll, steps: wheelSteps, rendered, costs }
}

function line(label: string, m: Awaited<ReturnType<typeof measure>>): string {
  const f = (p: Phase) =>
    `${p.tasks} long tasks (${p.over100} > 100 ms, max ${p.maxMs.toFixed(0)} ms, ` +
    `${p.totalMs.toFixed(0)} ms in all) over ${(p.wallMs / 1000).toFixed(1)} s`
  return (
    `${label}: ${m.rows} rows, ${m.rendered} <tr> in the DOM\n` +
    `  streaming in: ${f(m.stream)}\n` +
    `  scrolling (${m.steps} wheel steps + Home/End): ${f(m.scroll)}\n` +
    `  main thread per wheel step: ${m.costs.task.toFixed(1)} ms in tasks (script ` +
    `${m.costs.script.toFixed(1)}, layout ${m.costs.layout.toFixed(1)}, style ` +
    `${m.costs.style.toFixed(1)} ms)`
  )
}

const print = (text: string) => process.stdout.write(`${text}\n`)

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-bench-live-scroll-'))
  const server = await startFleetServer(dataDir)
  const browser = await launchChromium()
  try {
    await adminApi(server, dataDir, { password: PASSWORD, orgName: 'Bench', enrollSecret: 'bench' })
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')
    const big = await measure(browser, server.url, Number(values.rows))
    const baseline = await measure(browser, server.url, Number(values['baseline-rows']), big.steps)
    print(
      `load average at start: ${load}; after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    )
    print(line('baseline', baseline))
    print(line('measured', big))
    const ok = big.scroll.over100 === 0
    print(
      `figure: ${big.scroll.over100} long tasks over 100 ms while scrolling ${big.rows} rows ` +
        `(max ${big.scroll.maxMs.toFixed(0)} ms; baseline ${baseline.rows} rows: max ` +
        `${baseline.scroll.maxMs.toFixed(0)} ms) — goal ${ok ? 'met' : 'NOT met'}`,
    )
  } finally {
    await browser.close()
    await server.stop()
  }
}

await main()
