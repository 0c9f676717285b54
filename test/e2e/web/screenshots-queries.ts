import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { waitFor } from '../support.js'

type Api = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
) => Promise<Record<string, unknown>>

/**
 * Saved queries for the queries screenshots: a few in the list, one scheduled every second so the
 * simulated hosts fill its report. Returns that query's id once `hosts` hosts are in its report.
 */
export async function seedQueries(api: Api, hosts: number): Promise<number> {
  const queries = [
    { name: 'Disk encryption', query: 'SELECT * FROM mounts', description: 'Mounted volumes' },
    { name: 'Listening ports', query: 'SELECT * FROM listening_ports', platform: 'linux,darwin' },
    { name: 'Logged-in users', query: 'SELECT * FROM logged_in_users', observer_can_run: true },
  ]
  for (const body of queries) {
    await api('POST', '/api/latest/fleet/queries', body)
  }
  const created = await api('POST', '/api/latest/fleet/queries', {
    name: 'OS versions',
    description: 'Name and version of every host',
    query: 'SELECT name, version, platform FROM os_version',
    interval: 1,
    logging: 'snapshot',
  })
  const id = (created.query as { id: number }).id
  await waitFor('every host in the report', async () => {
    const report = await api('GET', `/api/latest/fleet/queries/${id}/report`)
    return new Set((report.results as { host_id: number }[]).map((r) => r.host_id)).size >= hosts
  })
  return id
}

/**
 * The list, a saved query with its report, and a new query with the completion list open:
 * `queries`, `query`, `query-editor` (and `-390` variants when `suffix` says so).
 */
export async function shootQueries(
  page: Page,
  url: string,
  out: string,
  queryId: number,
  suffix = '',
): Promise<void> {
  const shot = (name: string) =>
    page.screenshot({ path: join(out, `${name}${suffix}.png`), fullPage: false })
  await page.goto(`${url}/queries/manage`)
  await page.getByRole('table').waitFor()
  await shot('queries')
  await page.goto(`${url}/queries/${queryId}`)
  await page.getByRole('table', { name: 'Query report' }).waitFor()
  await shot('query')
  await page.goto(`${url}/queries/new`)
  await page.getByLabel('Name', { exact: true }).fill('Processes listening')
  await page.getByRole('textbox', { name: 'SQL' }).click()
  await page.keyboard.type(
    'SELECT p.name, l.port FROM processes p JOIN listening_ports l USING (pid) WHERE l.po',
  )
  await page
    .locator('.cm-tooltip-autocomplete li .cm-completionLabel')
    .filter({ hasText: /^port$/ })
    .waitFor()
  await shot('query-editor')
}
