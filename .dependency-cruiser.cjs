// Architecture rules: the package table in ../shared/ARCHITECTURE.md and the server's folder layering.
// Run by `npm run arch` and by packages/server/src/architecture.test.ts (which also proves, against
// the fixture trees in test/arch-fixtures/, that each rule can fail).
//
// Paths are relative to the repository root. Cross-package imports are written by package name
// (`@fleet/api`); tsconfig.tests.json's `paths` map them to packages/<name>/src/index.ts, so the rules
// below see real file paths.

/**
 * Tests and their helpers may import anything within their own package, and the test support every
 * package's tests share (test/support, imported as `@fleet/test-support`).
 */
const TESTS = '(\\.test\\.ts$|/test-utils/|^test/support/)'
const SERVER = '^packages/server/src/'

/** ARCHITECTURE.md, "Packages": each package and the packages of ours it may import. */
const PACKAGE_TABLE = {
  api: [],
  client: ['api'],
  server: ['api'],
  cli: ['api', 'client', 'tuf', 'open-url'],
  agent: ['api', 'tuf', 'open-url'],
  // Opening the user's browser, shared by fleetctl preview and fleetd desktop (neither may import
  // the other, and it is no part of the REST client or the wire contract).
  'open-url': [],
  tuf: [],
  web: ['api', 'client'],
  sim: ['api'],
}

const packageRules = Object.entries(PACKAGE_TABLE).map(([pkg, allowed]) => ({
  name: `package-${pkg}`,
  severity: 'error',
  comment:
    `packages/${pkg} may import ` +
    (allowed.length > 0 ? allowed.map((p) => `@fleet/${p}`).join(', ') : 'nothing of ours') +
    ' (ARCHITECTURE.md, Packages).',
  from: { path: `^packages/${pkg}/` },
  // Imports of the server are left to nothing-imports-server, so each is reported once.
  to: { path: '^packages/', pathNot: `^packages/(${[pkg, ...allowed, 'server'].join('|')})/` },
}))

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...packageRules,
    {
      name: 'nothing-imports-server',
      severity: 'error',
      comment: 'Nothing imports the server (ARCHITECTURE.md, Packages).',
      from: { pathNot: '^packages/server/' },
      to: { path: '^packages/server/' },
    },
    {
      name: 'package-not-in-table',
      severity: 'error',
      comment:
        'A package missing from the table may import none of ours: add it to ARCHITECTURE.md and ' +
        'PACKAGE_TABLE in .dependency-cruiser.cjs first.',
      from: {
        path: '^packages/([^/]+)/',
        pathNot: `^packages/(${Object.keys(PACKAGE_TABLE).join('|')})/`,
      },
      to: { path: '^packages/', pathNot: '^packages/$1/' },
    },
    {
      name: 'cross-package-via-entry-point',
      severity: 'error',
      comment:
        'Import another package by its name (`@fleet/api`), which is its src/index.ts, or by an entry ' +
        'its package.json exports (`@fleet/client/browser`, `@fleet/api/plist`); never reach into its files.',
      from: { path: '^packages/([^/]+)/' },
      to: {
        path: '^packages/',
        pathNot: [
          '^packages/$1/',
          '^packages/[^/]+/src/index\\.ts$',
          '^packages/client/src/browser\\.ts$',
          '^packages/api/src/plist\\.ts$',
        ],
      },
    },
    {
      name: 'browser-no-node-builtins',
      severity: 'error',
      comment:
        'The web console and the browser client run in browsers: no Node built-ins (ARCHITECTURE.md, Web console).',
      from: {
        path: ['^packages/web/src/', '^packages/client/src/(browser|call|errors|url)\\.ts$'],
      },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'api-no-node-builtins',
      severity: 'error',
      comment:
        'The wire contract runs in browsers too: no Node built-ins (CONVENTIONS.md, Where things go). ' +
        'Its tests run in Node and may read fixtures.',
      from: { path: '^packages/api/src/', pathNot: TESTS },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'platform-not-to-features',
      severity: 'error',
      comment: 'platform/ holds no feature logic: it imports no feature and no protocol.',
      from: { path: `${SERVER}platform/`, pathNot: TESTS },
      to: { path: `${SERVER}(features|protocols)/` },
    },
    {
      name: 'feature-via-index',
      severity: 'error',
      comment: "A feature may import another feature only through that feature's index.ts.",
      from: { path: `${SERVER}features/([^/]+)/`, pathNot: TESTS },
      to: {
        path: `${SERVER}features/[^/]+/`,
        pathNot: [`${SERVER}features/$1/`, `${SERVER}features/[^/]+/index\\.ts$`],
      },
    },
    {
      name: 'features-not-to-outer-layers',
      severity: 'error',
      comment: 'Features are called by protocols/, main.ts and cron/; they never import them.',
      from: { path: `${SERVER}features/`, pathNot: TESTS },
      to: { path: `${SERVER}(protocols/|cron/|main\\.ts$)` },
    },
    {
      name: 'routes-not-to-stores',
      severity: 'error',
      comment:
        'A request goes routes → service → store (CONVENTIONS.md): *.routes.ts calls services and ' +
        'never imports a store.',
      from: { path: `${SERVER}.+\\.routes\\.ts$` },
      to: { path: '\\.store\\.ts$' },
    },
    {
      name: 'migrations-import-only-frozen-helpers',
      severity: 'error',
      comment:
        'A migration must produce the same SQL forever: it imports only kysely and the frozen ' +
        'helpers-vN.ts files beside it, never application code (see helpers-v1.ts).',
      from: {
        path: `${SERVER}db/migrations/`,
        pathNot: [TESTS, `${SERVER}db/migrations/index\\.ts$`],
      },
      to: {
        pathNot: ['(^|/)node_modules/kysely/', `${SERVER}db/migrations/helpers-v[0-9]+\\.ts$`],
      },
    },
    {
      name: 'migrations-index-imports-only-migrations',
      severity: 'error',
      comment:
        'db/migrations/index.ts lists the migrations beside it; it imports nothing else but kysely.',
      from: { path: `${SERVER}db/migrations/index\\.ts$` },
      to: { pathNot: ['(^|/)node_modules/kysely/', `${SERVER}db/migrations/[^/]+\\.ts$`] },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      comment:
        'Only tests import *.test.ts files, test-utils/ and test/support (@fleet/test-support).',
      from: { pathNot: TESTS },
      to: { path: TESTS },
    },
    {
      name: 'test-support-standalone',
      severity: 'error',
      comment:
        "test/support is shared by every package's tests, so it imports none of our packages: a " +
        'package importing it would otherwise reach, through it, packages its row of the table forbids.',
      from: { path: '^test/support/' },
      to: { path: '^packages/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles fail CI (CONVENTIONS.md). Type-only imports count too.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import dependency-cruiser cannot resolve would slip past every rule above (e.g. an ' +
        '@fleet/* package missing from the tsconfig paths).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are dependencies of the design even though tsc erases them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.tests.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)dist/', '^test/arch-fixtures/', '^packages/server/web/'] },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
}
