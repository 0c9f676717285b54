import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml, stringify } from 'yaml'
import { renderLabels } from './commands/get-labels.js'
import { labelSpecOf } from './label-specs.js'
import { parseSpecDocuments, SpecError } from './specs.js'
import { labelSpecFixture } from './test-utils/fixtures.js'

const parse = (text: string): ReturnType<typeof parseSpecDocuments> =>
  parseSpecDocuments(text, 'labels.yml')

function errorOf(text: string): string {
  try {
    parse(text)
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError)
    return err instanceof Error ? err.message : String(err)
  }
  throw new Error('expected a SpecError')
}

/** A `kind: label` document around `spec` (YAML lines, indented by the caller). */
const labelDoc = (spec: string): string => `apiVersion: v1\nkind: label\nspec:\n${spec}`

describe('kind: label documents', () => {
  it("reads the labels of Fleet's GitOps test data, numeric host identifiers as strings", () => {
    const fixture = fileURLToPath(
      new URL('../../../../shared/fixtures/gitops/spec-testdata/top.labels.yml', import.meta.url),
    )
    const labels: unknown = parseYaml(readFileSync(fixture, 'utf8'))
    expect(Array.isArray(labels)).toBe(true)
    const text = (Array.isArray(labels) ? labels : [])
      .map((spec) => stringify({ apiVersion: 'v1', kind: 'label', spec }))
      .join('---\n')
    expect(parse(text)).toEqual([
      {
        kind: 'label',
        index: 1,
        spec: {
          name: 'Global label numero uno',
          description: 'A cool global label',
          query: 'SELECT 1 FROM osquery_info',
          platform: '',
          label_membership_type: 'dynamic',
        },
      },
      {
        kind: 'label',
        index: 2,
        spec: {
          name: 'Global label numero dos',
          description: 'A fly global label',
          query: '',
          platform: '',
          label_membership_type: 'manual',
          hosts: ['host1', '2'],
        },
      },
    ])
  })

  it('refuses unknown keys', () => {
    expect(errorOf(labelDoc('  name: a\n  querry: SELECT 1\n  team: x\n'))).toContain(
      'labels.yml: document 1 (kind "label"): spec: unknown keys: querry, team',
    )
  })

  it('refuses a dynamic label without a query, and hosts on a dynamic label', () => {
    expect(errorOf(labelDoc('  name: a\n  query: "  "\n'))).toBe(
      'labels.yml: document 1 (kind "label"): spec.query: a dynamic label needs a query',
    )
    expect(errorOf(labelDoc('  name: a\n  query: SELECT 1\n  hosts: [h1]\n'))).toMatch(
      /spec\.hosts: only manual labels \(label_membership_type: manual\) take a host list$/,
    )
  })

  it('refuses a manual label with a query, a builtin label and a bad platform', () => {
    expect(
      errorOf(labelDoc('  name: a\n  query: SELECT 1\n  label_membership_type: manual\n')),
    ).toMatch(/spec\.query: a manual label has no query$/)
    expect(
      errorOf(labelDoc('  name: All Hosts\n  query: SELECT 1\n  label_type: builtin\n')),
    ).toMatch(/spec\.label_type: builtin labels can't be applied$/)
    expect(errorOf(labelDoc('  name: a\n  query: SELECT 1\n  platform: beos\n'))).toMatch(
      /spec\.platform: /,
    )
    expect(errorOf(labelDoc('  description: no name\n  query: SELECT 1\n'))).toMatch(/spec\.name: /)
  })

  it('drops the id and label_type that exports print, and a null host list', () => {
    const [doc] = parse(
      labelDoc('  id: 7\n  name: a\n  query: SELECT 1\n  label_type: regular\n  hosts: null\n'),
    )
    expect(doc).toEqual({
      kind: 'label',
      index: 1,
      spec: {
        name: 'a',
        description: '',
        query: 'SELECT 1',
        platform: '',
        label_membership_type: 'dynamic',
      },
    })
  })
})

describe('labelSpecOf', () => {
  it('keeps the host list of a manual label (empty if none) and drops its query', () => {
    const manual = labelSpecFixture({
      label_membership_type: 'manual',
      query: 'ignored',
      hosts: null,
    })
    expect(labelSpecOf(manual)).toEqual({
      name: manual.name,
      description: manual.description,
      query: '',
      platform: '',
      label_membership_type: 'manual',
      hosts: [],
    })
    expect(labelSpecOf(labelSpecFixture({ hosts: ['x'] }))).not.toHaveProperty('hosts')
  })

  it('round-trips get labels --yaml through the spec parser, leaving builtin labels out', () => {
    const labels = [
      labelSpecFixture({ id: 1, name: 'All Hosts', label_type: 'builtin', platform: '' }),
      labelSpecFixture({ id: 2 }),
      labelSpecFixture({
        id: 3,
        name: 'Canaries',
        label_membership_type: 'manual',
        query: '',
        platform: '',
        hosts: ['mbp-1.local', 'C02XYZ'],
      }),
    ]
    const docs = parse(renderLabels(labels, 'yaml'))
    expect(docs.map((doc) => doc.kind === 'label' && doc.spec)).toEqual([
      labelSpecOf(labels[1] ?? labelSpecFixture()),
      labelSpecOf(labels[2] ?? labelSpecFixture()),
    ])
  })
})
