import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'

const src = (pkg: string) =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url))

/**
 * Which project a test file belongs to is decided by its name and folder (README.md, Development):
 * - unit: `*.unit.test.ts` — pure code: no database, server, socket or process (a guard refuses them);
 * - e2e: `test/e2e/**` and `test/compat/**` — real `fleet`, `fleetctl`, `fleetd` processes;
 * - integration: every other `*.test.ts` — stores, routes and in-process servers.
 */
const UNIT = [
  'packages/*/src/**/*.unit.test.ts',
  'test/support/**/*.unit.test.ts',
  'test/faults/**/*.unit.test.ts',
]
const E2E = ['test/e2e/**/*.test.ts', 'test/compat/**/*.test.ts']

export default defineConfig({
  resolve: {
    // Exact names: a bare '@fleet/client' key would also rewrite '@fleet/client/browser'.
    alias: [
      { find: /^@fleet\/api$/, replacement: src('api') },
      { find: /^@fleet\/client$/, replacement: src('client') },
      {
        find: /^@fleet\/api\/plist$/,
        replacement: fileURLToPath(new URL('./packages/api/src/plist.ts', import.meta.url)),
      },
      {
        find: /^@fleet\/client\/browser$/,
        replacement: fileURLToPath(new URL('./packages/client/src/browser.ts', import.meta.url)),
      },
      {
        find: /^@fleet\/test-support$/,
        replacement: fileURLToPath(new URL('./test/support/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Store tests create one database per file; two workers match the machine's two cores.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT,
          setupFiles: ['test/support/unit-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['packages/*/src/**/*.test.ts', 'test/support/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...UNIT],
        },
      },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
})
