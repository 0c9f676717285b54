import { describe, expect, it } from 'vitest'
import { judgeDelivery, resultLines } from './delivery.js'

const line = (host: string, unixTime: number) =>
  JSON.stringify({ hostIdentifier: host, name: 'pack/Global/q', unixTime, counter: 0 })

describe('judging result delivery', () => {
  it('passes when every delivered line is logged once', () => {
    const logged = resultLines([line('a', 10), line('b', 10), line('a', 15)].join('\n'))
    expect(judgeDelivery(3, logged, {})).toMatchObject({
      pass: true,
      numbers: { results_lost: 0, results_duplicated: 0 },
    })
  })

  it('fails when a delivered line is missing', () => {
    const logged = resultLines([line('a', 10), line('b', 10)].join('\n'))
    expect(judgeDelivery(3, logged, {})).toMatchObject({
      pass: false,
      numbers: { results_lost: 1 },
    })
  })

  it('fails on any repeated line when no server was killed', () => {
    const logged = resultLines([line('a', 10), line('a', 10), line('b', 10)].join('\n'))
    expect(judgeDelivery(2, logged, {})).toMatchObject({
      pass: false,
      numbers: { results_lost: 0, results_duplicated: 1 },
    })
  })

  it('reports, but passes, repeats of lines made before a kill (osquery resent the batch)', () => {
    const logged = resultLines([line('a', 10), line('a', 10), line('a', 20)].join('\n'))
    expect(judgeDelivery(2, logged, { killedAt: 12 })).toEqual({
      pass: true,
      numbers: {
        results_delivered: 2,
        results_logged: 2,
        results_lost: 0,
        results_duplicated: 1,
        results_duplicated_not_from_kill_resend: 0,
      },
    })
  })

  it('fails on repeats of lines made after the kill', () => {
    const logged = resultLines([line('a', 10), line('a', 20), line('a', 20)].join('\n'))
    expect(judgeDelivery(2, logged, { killedAt: 12 })).toMatchObject({
      pass: false,
      numbers: { results_duplicated_not_from_kill_resend: 1 },
    })
  })
})
