import { join } from 'node:path'
import type { Page } from 'playwright-core'

/**
 * The live query page with results: new SQL on the "All Hosts" label, run until every online
 * host answered, then the screenshot `name`.
 */
export async function shootLiveQuery(
  page: Page,
  url: string,
  hosts: number,
  out: string,
  name: string,
): Promise<void> {
  await page.goto(`${url}/queries/new/live?sql=${encodeURIComponent('SELECT * FROM os_version')}`)
  await page.getByLabel('Search hosts, labels and teams').fill('All Hosts')
  await page.getByRole('button', { name: 'All Hosts (label): add to targets' }).click()
  await page.getByTestId('target-count').getByText(`${hosts} hosts targeted`).waitFor()
  await page.getByRole('button', { name: 'Run' }).click()
  await page
    .getByTestId('live-progress')
    .getByText('every online host answered')
    .waitFor({ timeout: 60_000 })
  await page.getByTestId('live-progress').scrollIntoViewIfNeeded()
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: false })
  await page.getByRole('button', { name: 'Stop' }).click()
}
