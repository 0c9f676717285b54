// Breaks no-test-code-in-production: product code never imports @fleet/test-support.
import { waitFor } from '@fleet/test-support'

export const poll = waitFor
