// Test support shared by every package's tests and the end-to-end tests: `@fleet/test-support`
// (an alias in vitest.config.ts and tsconfig.tests.json, not a package). It imports nothing of
// ours, and only tests and test-utils may import it (.dependency-cruiser.cjs).
export { eventually, waitFor, type PollOptions } from './poll.js'
export { stopAfterTest, stopProcesses } from './processes.js'
export { FLEET_API, FLEET_API_V1 } from './urls.js'
export { refuseInUnitTests } from './unit-guard.js'
