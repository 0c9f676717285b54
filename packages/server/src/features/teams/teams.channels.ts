import { z } from 'zod'
import { defineChannel } from '../../platform/pubsub/index.js'

/** Published after a team changed (settings, agent options, deletion), with the team's id. */
export const TEAMS_CHANGED = defineChannel('teams_changed', z.number().int().positive())
