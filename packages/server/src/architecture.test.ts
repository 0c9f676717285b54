import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cruise } from 'dependency-cruiser'
import type { ICruiseResult, IViolation } from 'dependency-cruiser'
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options'
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config'
import { describe, expect, it } from 'vitest'

// The rules live in .dependency-cruiser.cjs (also run by `npm run arch`); this test runs them in
// `npm test` and proves, on the miniature trees in test/arch-fixtures, that each one can fail.

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const CRUISE_TIMEOUT_MS = 120_000

/** Cruises `<baseDir>/packages` with the repository's rules and the given tsconfig's `paths`. */
async function cruisePackages(baseDir: string, tsConfigFile: string): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(resolve(repoRoot, '.dependency-cruiser.cjs'))
  const tsConfigFileName = resolve(baseDir, tsConfigFile)
  const { output } = await cruise(
    ['packages'],
    { ...options, baseDir, tsConfig: { fileName: tsConfigFileName } },
    {},
    { tsConfig: extractTSConfig(tsConfigFileName) },
  )
  if (typeof output === 'string') {
    throw new TypeError('dependency-cruiser returned a report instead of a cruise result')
  }
  return output
}

/** One line per violation: `rule: from → to`, with the whole loop for a cycle. */
function describeViolation(v: IViolation): string {
  const target = v.cycle ? v.cycle.map((step) => step.name).join(' → ') : v.to
  return `${v.rule.name}: ${v.from} → ${target}`
}

describe('architecture (.dependency-cruiser.cjs)', () => {
  it(
    'packages/ breaks no rule',
    async () => {
      const result = await cruisePackages(repoRoot, 'tsconfig.tests.json')
      const modules = result.modules.map((m) => m.source)

      expect(modules).toContain('packages/server/src/architecture.test.ts')
      expect(modules.filter((source) => source.includes('arch-fixtures'))).toEqual([])
      expect(result.summary.violations.map(describeViolation)).toEqual([])
    },
    CRUISE_TIMEOUT_MS,
  )

  it(
    'reports every violation planted in test/arch-fixtures, and nothing else',
    async () => {
      const result = await cruisePackages(resolve(repoRoot, 'test/arch-fixtures'), 'tsconfig.json')
      const api = 'packages/api/src'
      const client = 'packages/client/src'
      const server = 'packages/server/src'
      const teams = `${server}/features/teams`
      const migrations = `${server}/db/migrations`

      expect(result.summary.violations.map(describeViolation).sort()).toEqual(
        [
          `nothing-imports-server: ${api}/imports-server.ts → ${server}/index.ts`,
          `api-no-node-builtins: ${api}/node-builtin.ts → crypto`,
          `package-client: ${client}/imports-cli.ts → packages/cli/src/index.ts`,
          `package-not-in-table: packages/extra/src/index.ts → ${api}/index.ts`,
          `cross-package-via-entry-point: ${client}/reaches-into-api.ts → ${api}/imports-server.ts`,
          `not-to-unresolvable: ${client}/unresolvable.ts → @fleet/apii`,
          `platform-not-to-features: ${server}/platform/imports-feature.ts → ${server}/features/users/index.ts`,
          `feature-via-index: ${teams}/teams.service.ts → ${server}/features/users/users.store.ts`,
          `features-not-to-outer-layers: ${teams}/teams.routes.ts → ${server}/protocols/osquery/distributed.ts`,
          `features-not-to-outer-layers: ${teams}/teams.routes.ts → ${server}/cron/schedule.ts`,
          `no-test-code-in-production: ${teams}/teams.seed.ts → ${teams}/test-utils/build-team.ts`,
          `no-test-code-in-production: ${client}/uses-test-support.ts → test/support/index.ts`,
          `test-support-standalone: test/support/index.ts → ${api}/index.ts`,
          `routes-not-to-stores: ${teams}/teams.routes.ts → ${teams}/teams.store.ts`,
          `migrations-import-only-frozen-helpers: ${migrations}/20260101000000_init.ts → ${server}/platform/db.ts`,
          `migrations-index-imports-only-migrations: ${migrations}/index.ts → ${server}/platform/db.ts`,
          `no-circular: ${server}/platform/cycle-a.ts → ${server}/platform/cycle-b.ts → ${server}/platform/cycle-a.ts`,
        ].sort(),
      )
    },
    CRUISE_TIMEOUT_MS,
  )
})
