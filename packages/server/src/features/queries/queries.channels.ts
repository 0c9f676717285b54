import { z } from 'zod'
import { defineChannel } from '../../platform/pubsub/index.js'

/** Published after any saved query is created, changed or deleted (every instance reloads). */
export const QUERIES_CHANGED = defineChannel('queries_changed', z.null())
