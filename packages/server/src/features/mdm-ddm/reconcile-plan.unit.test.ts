import { describe, expect, it } from 'vitest'
import {
  planDeclarations,
  scopeDecision,
  type HostDeclarationState,
  type PlanDeclaration,
  type PlanHost,
} from './reconcile-plan.js'

type Mode = 'all' | 'any' | 'exclude'
const label = (labelId: number | null, mode: Mode, labelCreatedAt = 0) => ({
  labelId,
  exclude: mode === 'exclude',
  requireAll: mode === 'all',
  labelCreatedAt,
})

const decl = (
  uuid: string,
  labels: PlanDeclaration['labels'] = [],
  teamKey = 0,
): PlanDeclaration => ({
  uuid,
  teamKey,
  identifier: `com.example.${uuid}`,
  name: uuid,
  token: `T-${uuid}`,
  secretsUpdatedAt: null,
  labels,
})

const host = (labelIds: number[], extra: Partial<PlanHost> = {}): PlanHost => ({
  uuid: 'H1',
  teamKey: 0,
  enrollmentId: 'H1',
  labelIds: new Set(labelIds),
  labelsReportedAt: 100,
  ...extra,
})

const row = (
  d: PlanDeclaration,
  extra: Partial<HostDeclarationState> = {},
): HostDeclarationState => ({
  hostUuid: 'H1',
  declarationUuid: d.uuid,
  identifier: d.identifier,
  name: d.name,
  status: 'verified',
  operation: 'install',
  detail: null,
  token: d.token,
  secretsUpdatedAt: null,
  resync: false,
  ...extra,
})

const rowsOf = (...rows: HostDeclarationState[]) =>
  new Map([['H1', new Map(rows.map((r) => [r.declarationUuid, r]))]])

describe('label scoping of declarations', () => {
  const matrix: [string, PlanDeclaration['labels'], number[], ReturnType<typeof scopeDecision>][] =
    [
      ['no labels', [], [], 'install'],
      ['include all, member of all', [label(1, 'all'), label(2, 'all')], [1, 2], 'install'],
      ['include all, member of one', [label(1, 'all'), label(2, 'all')], [1], 'absent'],
      ['include any, member of one', [label(1, 'any'), label(2, 'any')], [2], 'install'],
      ['include any, member of none', [label(1, 'any'), label(2, 'any')], [3], 'absent'],
      ['exclude any, member of none', [label(1, 'exclude'), label(2, 'exclude')], [3], 'install'],
      ['exclude any, member of one', [label(1, 'exclude'), label(2, 'exclude')], [2], 'absent'],
      ['exclude + include any (#32073)', [label(1, 'any'), label(2, 'exclude')], [1], 'install'],
      ['exclude + include any, excluded', [label(1, 'any'), label(2, 'exclude')], [1, 2], 'absent'],
      ['broken label: leave as is', [label(null, 'any'), label(2, 'any')], [2], 'keep'],
    ]
  it.each(matrix)('%s', (_name, labels, member, expected) => {
    expect(scopeDecision(decl('d1', labels), host(member))).toBe(expected)
  })

  it('exclude labels wait until the host reported labels after they were created', () => {
    const d = decl('d1', [label(1, 'exclude', 500)])
    expect(scopeDecision(d, host([], { labelsReportedAt: 499 }))).toBe('keep')
    expect(scopeDecision(d, host([], { labelsReportedAt: null }))).toBe('keep')
    expect(scopeDecision(d, host([], { labelsReportedAt: 500 }))).toBe('install')
  })

  it("another team's declaration is absent", () => {
    expect(scopeDecision(decl('d1', [], 7), host([]))).toBe('absent')
  })
})

describe('planDeclarations', () => {
  it('installs what is missing as pending, once; nothing when in the desired state', () => {
    const d = decl('d1')
    const first = planDeclarations([host([])], [d], new Map())
    expect(first.upserts).toEqual([row(d, { status: 'pending' })])
    expect([...first.changedHosts]).toEqual(['H1'])
    const again = planDeclarations([host([])], [d], rowsOf(row(d)))
    expect(again).toEqual({ upserts: [], deletes: [], changedHosts: new Set() })
  })

  it('a new token re-installs; a scoped-out or deleted declaration becomes a removal (NULL)', () => {
    const d1 = decl('d1')
    const gone = decl('d9')
    const scoped = decl('d2', [label(1, 'any')])
    const plan = planDeclarations(
      [host([])],
      [d1, scoped],
      rowsOf(row(d1, { token: 'OLD' }), row(scoped), row(gone)),
    )
    expect(plan.upserts).toEqual([
      row(d1, { status: 'pending' }),
      row(scoped, { operation: 'remove', status: null }),
      row(gone, { operation: 'remove', status: null }),
    ])
  })

  it('a host in another team now: its old team’s installs are removed', () => {
    const d = decl('d1')
    const plan = planDeclarations([host([], { teamKey: 3 })], [d], rowsOf(row(d)))
    expect(plan.upserts).toEqual([row(d, { operation: 'remove', status: null })])
  })

  it('a broken label neither installs nor removes', () => {
    const d = decl('d1', [label(null, 'all')])
    expect(planDeclarations([host([])], [d], new Map()).upserts).toEqual([])
    expect(planDeclarations([host([])], [d], rowsOf(row(d))).upserts).toEqual([])
  })

  it('resync race: same token re-added before the device saw the removal → verified + resync', () => {
    const old = decl('d-old')
    const readded = { ...decl('d-new'), token: old.token, identifier: old.identifier }
    const plan = planDeclarations(
      [host([])],
      [readded],
      rowsOf(row(old, { operation: 'remove', status: null })),
    )
    expect(plan.deletes).toEqual([{ hostUuid: 'H1', declarationUuid: 'd-old' }])
    expect(plan.upserts).toEqual([row(readded, { status: 'verified', resync: true })])
    expect(plan.changedHosts.has('H1')).toBe(true)
  })

  it('a removal the device has seen (pending) is no race: the re-install is pending', () => {
    const old = decl('d-old')
    const readded = { ...decl('d-new'), token: old.token }
    const plan = planDeclarations(
      [host([])],
      [readded],
      rowsOf(row(old, { operation: 'remove', status: 'pending' })),
    )
    expect(plan.deletes).toEqual([])
    expect(plan.upserts).toEqual([row(readded, { status: 'pending' })])
  })
})
