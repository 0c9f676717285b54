import { z } from 'zod'
import { defineEndpoint } from './contract.js'

/**
 * Fleet's translator (`server/service/translator.go`): names to ids, which real `fleetctl hosts
 * transfer` calls before moving hosts. Types: `host` (hostname, uuid, serial or osquery
 * identifier), `team` (name), `label` (name), `user` (email).
 */
export const TRANSLATE_TYPES = ['host', 'team', 'label', 'user'] as const

/** One entry as Fleet sends it back: the identifier with its `id`. */
export const TranslatePayload = z.object({
  // Any text: an unknown type is refused by the server with Fleet's message naming it.
  type: z.string().max(64),
  payload: z.object({
    identifier: z.string().max(1024),
    id: z.number().int().min(0).optional(),
  }),
})

export const translate = defineEndpoint({
  method: 'POST',
  path: '/translate',
  mount: 'fleet',
  tag: 'Translator',
  summary: 'Translate hosts, teams, labels (names) and users (emails) to ids',
  auth: 'user',
  body: z.object({
    // Go's client sends null for an empty list; an empty list is refused as in Fleet.
    list: z.array(TranslatePayload).max(10_000).nullish(),
  }),
  response: z.object({
    list: z.array(
      z.object({
        type: z.enum(TRANSLATE_TYPES),
        payload: z.object({ identifier: z.string(), id: z.number().int() }),
      }),
    ),
  }),
})
