// Breaks no-test-code-in-production.
import { buildTeam } from './test-utils/build-team.js'

export const seedTeam = buildTeam
