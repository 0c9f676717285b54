import WebSocket from 'ws'
import { z } from 'zod'
import { CliError } from '../errors.js'

/** Fleet's live-query websocket messages (server → client). */
export const CampaignMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('totals'),
    data: z.looseObject({
      count: z.number(),
      online: z.number(),
      offline: z.number(),
      missing_in_action: z.number().optional(),
    }),
  }),
  z.object({
    type: z.literal('status'),
    data: z.looseObject({
      expected_results: z.number(),
      actual_results: z.number(),
      status: z.string(),
    }),
  }),
  z.object({
    type: z.literal('result'),
    data: z.looseObject({
      host: z.looseObject({ id: z.number(), hostname: z.string(), display_name: z.string() }),
      rows: z.array(z.record(z.string(), z.unknown())).nullable(),
      error: z.string().nullable().optional(),
    }),
  }),
  z.object({ type: z.literal('error'), data: z.unknown() }),
])
export type CampaignMessage = z.infer<typeof CampaignMessage>

export interface StreamOptions {
  address: string
  urlPrefix?: string
  token: string
  campaignId: number
  rootCA?: string
  tlsSkipVerify?: boolean
}

/** The websocket URL of a Fleet server's live-query results endpoint. */
export function resultsUrl(address: string, urlPrefix = ''): string {
  const url = new URL(address)
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:'
  url.pathname = `${urlPrefix.replace(/\/+$/, '')}/api/v1/fleet/results/websocket`
  return url.toString()
}

/**
 * Opens Fleet's results websocket, authenticates, selects the campaign and yields its messages
 * until the server closes the socket or the consumer stops iterating (which closes it).
 */
export async function* streamCampaign(options: StreamOptions): AsyncGenerator<CampaignMessage> {
  const socket = new WebSocket(resultsUrl(options.address, options.urlPrefix), {
    ...(options.rootCA !== undefined && { ca: options.rootCA }),
    rejectUnauthorized: !options.tlsSkipVerify,
  })
  const queue: CampaignMessage[] = []
  let failure: Error | undefined
  let closed = false
  let wake: (() => void) | undefined
  const notify = () => {
    wake?.()
    wake = undefined
  }
  socket.on('open', () => {
    socket.send(JSON.stringify({ type: 'auth', data: { token: options.token } }))
    socket.send(
      JSON.stringify({ type: 'select_campaign', data: { campaign_id: options.campaignId } }),
    )
  })
  socket.on('message', (data) => {
    let parsed: unknown
    try {
      parsed = JSON.parse(String(data))
    } catch {
      return
    }
    const message = CampaignMessage.safeParse(parsed)
    if (message.success) {
      queue.push(message.data)
      notify()
    }
  })
  socket.on('error', (err) => {
    failure = new CliError(`live query results connection failed: ${err.message}`)
    notify()
  })
  socket.on('close', () => {
    closed = true
    notify()
  })
  try {
    for (;;) {
      const next = queue.shift()
      if (next) {
        yield next
        continue
      }
      if (failure) {
        throw failure
      }
      if (closed) {
        return
      }
      await new Promise<void>((resolve) => (wake = resolve))
    }
  } finally {
    socket.close()
  }
}
