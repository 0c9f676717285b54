import { describe, expect, it } from 'vitest'
import {
  GAVE_UP,
  openCampaignSocket,
  resultsSocketUrl,
  type SocketLike,
} from './campaign-socket.js'
import type { LiveEvent } from './live-results.js'

class FakeSocket implements SocketLike {
  onopen: (() => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: (() => void) | null = null
  sent: unknown[] = []
  closedWith: number | undefined
  send(text: string) {
    this.sent.push(JSON.parse(text))
  }
  close(code?: number) {
    this.closedWith = code
  }
}

function harness(delays = [10, 20]) {
  const sockets: FakeSocket[] = []
  const events: LiveEvent[] = []
  const timers: { run: () => void; ms: number }[] = []
  const stream = openCampaignSocket({
    url: 'wss://fleet.example/api/latest/fleet/results/websocket',
    token: () => 'tok',
    campaignId: 42,
    onEvent: (e) => events.push(e),
    connect: () => {
      const s = new FakeSocket()
      sockets.push(s)
      return s
    },
    schedule: (run, ms) => {
      const timer = { run, ms }
      timers.push(timer)
      return () => timers.splice(timers.indexOf(timer), 1)
    },
    retryDelaysMs: delays,
  })
  return { stream, sockets, events, timers }
}

describe('openCampaignSocket', () => {
  it('authenticates, selects the campaign and passes on valid messages only', () => {
    const { sockets, events } = harness()
    const socket = sockets[0]!
    socket.onopen?.()
    expect(socket.sent).toEqual([
      { type: 'auth', data: { token: 'tok' } },
      { type: 'select_campaign', data: { campaign_id: 42 } },
    ])
    socket.onmessage?.({ data: 'not json' })
    socket.onmessage?.({ data: JSON.stringify({ type: 'mystery', data: 1 }) })
    socket.onmessage?.({
      data: JSON.stringify({
        type: 'status',
        data: { expected_results: 1, actual_results: 0, status: 'pending' },
      }),
    })
    expect(events.map((e) => e.type)).toEqual(['open', 'message'])
  })

  it('reports a drop and reconnects to the same campaign', () => {
    const { sockets, events, timers } = harness()
    sockets[0]!.onopen?.()
    sockets[0]!.onclose?.()
    expect(events.map((e) => e.type)).toEqual(['open', 'dropped'])
    expect(timers.map((t) => t.ms)).toEqual([10])
    timers.shift()!.run()
    sockets[1]!.onopen?.()
    expect(sockets[1]!.sent[1]).toEqual({ type: 'select_campaign', data: { campaign_id: 42 } })
    expect(events.map((e) => e.type)).toEqual(['open', 'dropped', 'open'])
  })

  it('gives up when every attempt fails, and says so', () => {
    const { sockets, events, timers } = harness([10, 20])
    sockets[0]!.onopen?.()
    sockets[0]!.onclose?.()
    timers.shift()!.run()
    sockets[1]!.onclose?.()
    expect(timers.map((t) => t.ms)).toEqual([20])
    timers.shift()!.run()
    sockets[2]!.onclose?.()
    expect(timers).toEqual([])
    expect(events.at(-1)).toEqual({ type: 'gave_up', reason: GAVE_UP })
  })

  it("does not reconnect after the server's error", () => {
    const { sockets, events, timers } = harness()
    sockets[0]!.onopen?.()
    sockets[0]!.onmessage?.({ data: JSON.stringify({ type: 'error', data: 'forbidden' }) })
    sockets[0]!.onclose?.()
    expect(timers).toEqual([])
    expect(events.map((e) => e.type)).toEqual(['open', 'message'])
  })

  it('stops with a normal close and cancels a pending reconnection', () => {
    const { stream, sockets, events, timers } = harness()
    sockets[0]!.onopen?.()
    sockets[0]!.onclose?.()
    stream.stop()
    expect(timers).toEqual([])
    expect(sockets[0]!.closedWith).toBe(1000)
    expect(events.at(-1)).toEqual({ type: 'stopped' })
    stream.stop()
    expect(events.filter((e) => e.type === 'stopped')).toHaveLength(1)
  })
})

describe('resultsSocketUrl', () => {
  it("uses the page's origin and wss for https", () => {
    expect(resultsSocketUrl({ protocol: 'https:', host: 'fleet.example:8080' })).toBe(
      'wss://fleet.example:8080/api/latest/fleet/results/websocket',
    )
    expect(resultsSocketUrl({ protocol: 'http:', host: 'localhost' })).toBe(
      'ws://localhost/api/latest/fleet/results/websocket',
    )
  })
})
