import { z } from 'zod'
import { defineChannel } from '../../platform/pubsub/index.js'

/** Published after the organization settings changed (every instance drops its copy). */
export const APP_CONFIG_CHANGED = defineChannel('app_config_changed', z.null())
