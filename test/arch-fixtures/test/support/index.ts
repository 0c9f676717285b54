// Breaks test-support-standalone: the shared test support imports none of our packages.
import { api } from '../../packages/api/src/index.js'

export const waitFor = api
