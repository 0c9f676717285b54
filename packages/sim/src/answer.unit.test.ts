import { DistributedWriteRequest, type ResultRow } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { answerQueries, answerQuery, type AnswerSource } from './answer.js'

function source(overrides: Partial<AnswerSource> = {}): AnswerSource {
  const blocks: Record<string, ResultRow[]> = {
    fleet_detail_query_os_version: [{ name: 'Ubuntu 22.4.0' }],
    fleet_label_query_6: [{ '1': '1' }],
  }
  return {
    templateRows: (name) => blocks[name],
    random: () => 0.5,
    policyPassProb: 1,
    sampleRows: (name) => [{ query: name, row: '1' }],
    ...overrides,
  }
}

describe('answerQuery', () => {
  it('answers with the template block named like the query', () => {
    expect(answerQuery('fleet_detail_query_os_version', source())).toEqual({
      status: 0,
      rows: [{ name: 'Ubuntu 22.4.0' }],
    })
    expect(answerQuery('fleet_label_query_6', source())).toEqual({
      status: 0,
      rows: [{ '1': '1' }],
    })
  })

  it('answers a label query without a block with no rows', () => {
    expect(answerQuery('fleet_label_query_99', source())).toEqual({ status: 0, rows: [] })
  })

  it('passes a policy with probability policyPassProb', () => {
    const pass = { status: 0, rows: [{ '1': '1' }] }
    const fail = { status: 0, rows: [] }
    expect(answerQuery('fleet_policy_query_3', source())).toEqual(pass)
    expect(answerQuery('fleet_policy_query_3', source({ policyPassProb: 0 }))).toEqual(fail)
    expect(
      answerQuery('fleet_policy_query_3', source({ policyPassProb: 0.3, random: () => 0.29 })),
    ).toEqual(pass)
    expect(
      answerQuery('fleet_policy_query_3', source({ policyPassProb: 0.3, random: () => 0.3 })),
    ).toEqual(fail)
  })

  it('answers a live query with sample rows', () => {
    expect(answerQuery('fleet_distributed_query_30', source())).toEqual({
      status: 0,
      rows: [{ query: 'fleet_distributed_query_30', row: '1' }],
    })
  })

  it('fails anything else as osquery would', () => {
    for (const name of [
      'fleet_detail_query_disk_space_unix',
      'fleet_additional_query_x',
      'other',
    ]) {
      expect(answerQuery(name, source())).toEqual({ status: 1, message: `no such table: ${name}` })
    }
  })

  it('turns a template failure into a failed query instead of throwing', () => {
    const broken = source({
      templateRows: () => {
        throw new Error('bad block')
      },
    })
    expect(answerQuery('fleet_detail_query_os_version', broken)).toMatchObject({ status: 1 })
  })
})

describe('answerQueries', () => {
  it('builds a distributed/write body the API schema accepts', () => {
    const body = answerQueries(
      {
        fleet_detail_query_os_version: 'SELECT * FROM os_version LIMIT 1',
        fleet_label_query_7: 'SELECT 1',
        fleet_detail_query_mdm: 'select enrolled from mdm',
      },
      source(),
    )
    expect(body).toEqual({
      queries: {
        fleet_detail_query_os_version: [{ name: 'Ubuntu 22.4.0' }],
        fleet_label_query_7: [],
        fleet_detail_query_mdm: '',
      },
      statuses: {
        fleet_detail_query_os_version: 0,
        fleet_label_query_7: 0,
        fleet_detail_query_mdm: 1,
      },
      messages: { fleet_detail_query_mdm: 'no such table: fleet_detail_query_mdm' },
    })
    expect(DistributedWriteRequest.safeParse({ node_key: 'k', ...body }).success).toBe(true)
  })
})
