import { z } from 'zod'
import { defineChannel } from '../../platform/pubsub/index.js'

/** Published after any label is created, changed or deleted (every instance reloads). */
export const LABELS_CHANGED = defineChannel('labels_changed', z.null())
