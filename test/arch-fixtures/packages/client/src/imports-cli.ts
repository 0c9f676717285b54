// Breaks package-client (the client may import only the api).
import { cli } from '@fleet/cli'

export const wrong = cli
