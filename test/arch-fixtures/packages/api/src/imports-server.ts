// Breaks nothing-imports-server (the api imports nothing of ours).
import { server } from '@fleet/server'

export const leaked = server
