import { z } from 'zod'
import { defineChannel } from '../../platform/pubsub/index.js'

/** Published after any pack, its targets or its queries change (every instance reloads). */
export const PACKS_CHANGED = defineChannel('packs_changed', z.null())
