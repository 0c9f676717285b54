import { describe, expect, it } from 'vitest'
import { judgeDelivery, resultLines } from './delivery.js'

const line = (host: string, unixTime: number) =>
  JSON.stringify({ hostIdentifier: host, name: 'pack/Global/q', unixTime, counter: 0 })
const sent = (...lines: string[]) => resultLines(lines.join('\n'))

describe('judging result delivery', () => {
  it('passes when every delivered line is logged once', () => {
    const logged = resultLines([line('a', 10), line('b', 10), line('a', 15)].join('\n'))
    expect(
      judgeDelivery(sent(line('a', 10), line('b', 10), line('a', 15)), logged, {}),
    ).toMatchObject({
      pass: true,
      numbers: { results_lost: 0, results_duplicated: 0 },
    })
  })

  it('fails when a delivered line is missing', () => {
    const logged = resultLines([line('a', 10), line('b', 10)].join('\n'))
    expect(
      judgeDelivery(sent(line('a', 10), line('b', 10), line('a', 15)), logged, {}),
    ).toMatchObject({
      pass: false,
      numbers: { results_lost: 1 },
    })
  })

  it('fails on any repeated line when no server was killed', () => {
    const logged = resultLines([line('a', 10), line('a', 10), line('b', 10)].join('\n'))
    expect(judgeDelivery(sent(line('a', 10), line('b', 10)), logged, {})).toMatchObject({
      pass: false,
      numbers: { results_lost: 0, results_duplicated: 1 },
    })
  })

  it('reports, but passes, repeats of lines made before a kill (osquery resent the batch)', () => {
    const logged = resultLines([line('a', 10), line('a', 10), line('a', 20)].join('\n'))
    expect(judgeDelivery(sent(line('a', 10), line('a', 20)), logged, { killedAt: 12 })).toEqual({
      pass: true,
      numbers: {
        results_delivered: 2,
        results_logged: 2,
        results_lost: 0,
        results_logged_unacknowledged: 0,
        results_duplicated: 1,
        results_duplicated_not_from_kill_resend: 0,
      },
    })
  })

  it('fails on repeats of lines made after the kill', () => {
    const logged = resultLines([line('a', 10), line('a', 20), line('a', 20)].join('\n'))
    expect(
      judgeDelivery(sent(line('a', 10), line('a', 20)), logged, { killedAt: 12 }),
    ).toMatchObject({
      pass: false,
      numbers: { results_duplicated_not_from_kill_resend: 1 },
    })
  })

  it('fails when a logged line no agent was told of stands in for a lost one', () => {
    // Same count (2 delivered, 2 logged), but b's line is missing: a count would not see it.
    const logged = resultLines([line('a', 10), line('c', 10)].join('\n'))
    expect(
      judgeDelivery(sent(line('a', 10), line('b', 10)), logged, { killedAt: 12 }),
    ).toMatchObject({
      pass: false,
      numbers: { results_lost: 1, results_logged_unacknowledged: 1 },
    })
  })

  it('passes with lines written but never acknowledged (an answer lost to a kill)', () => {
    const logged = resultLines([line('a', 10), line('a', 11)].join('\n'))
    expect(judgeDelivery(sent(line('a', 10)), logged, { killedAt: 12 })).toMatchObject({
      pass: true,
      numbers: { results_lost: 0, results_logged_unacknowledged: 1 },
    })
  })
})
