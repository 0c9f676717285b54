// The `unit` project's setup file (vitest.config.ts): unit tests are pure.
import { installUnitGuard } from './unit-guard.js'

installUnitGuard()
