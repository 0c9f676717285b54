import { z } from 'zod'
import { defineChannel } from '../../platform/pubsub/index.js'

/** Published after the Apple MDM assets changed (every instance drops its opened copy). */
export const MDM_ASSETS_CHANGED = defineChannel('mdm_apple_assets_changed', z.null())
