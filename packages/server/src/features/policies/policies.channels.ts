import { z } from 'zod'
import { defineChannel } from '../../platform/pubsub/index.js'

/** Published after any policy is created, changed or deleted (every instance reloads). */
export const POLICIES_CHANGED = defineChannel('policies_changed', z.null())
