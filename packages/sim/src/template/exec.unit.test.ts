import { describe, expect, it } from 'vitest'
import { executeBlock } from './exec.js'
import { TemplateError } from './lexer.js'
import { parseTemplate } from './parser.js'

function render(body: string, data: unknown): string {
  return executeBlock(parseTemplate(`{{ define "t" }}${body}{{ end }}`, 'test'), 't', data)
}

describe('Go template subset', () => {
  it('prints fields, nested fields and methods with arguments', () => {
    const data = {
      Name: 'host-1',
      Interval: { Seconds: () => 60 },
      Cached: (key: unknown) => `cached-${String(key)}`,
    }
    expect(render('{{ .Name }} {{ .Interval.Seconds }} {{ .Cached "hostname" }}', data)).toBe(
      'host-1 60 cached-hostname',
    )
  })

  it('trims whitespace around {{- and -}} and drops comments', () => {
    const src = `{{ define "t" -}}
  [
  {{- /* a comment */ -}}
  {{ .X }}  {{- "y" }}
  ]
{{- end }}
{{/* top-level comment */}}`
    expect(executeBlock(parseTemplate(src, 'test'), 't', { X: 1 })).toBe('[1y\n  ]')
  })

  it('ranges with $index and $item, binding dot to the item', () => {
    const body =
      '{{ range $index, $item := .List }}{{if $index}},{{end}}{{ .N }}={{ $item.N }}{{ end }}'
    expect(render(body, { List: [{ N: 'a' }, { N: 'b' }, { N: 'c' }] })).toBe('a=a,b=b,c=c')
  })

  it('runs range else for an empty list and ranges over a map in key order', () => {
    expect(render('{{ range .L }}x{{ else }}empty{{ end }}', { L: [] })).toBe('empty')
    expect(
      render('{{ range $k, $v := .M }}{{ $k }}{{ $v }};{{ end }}', { M: { b: 2, a: 1 } }),
    ).toBe('a1;b2;')
  })

  it('supports if / else if / else with Go truthiness', () => {
    const body = '{{ if .A }}A{{ else if .B }}B{{ else }}none{{ end }}'
    expect(render(body, { A: 1, B: 1 })).toBe('A')
    expect(render(body, { A: 0, B: 'x' })).toBe('B')
    expect(render(body, { A: '', B: [] })).toBe('none')
  })

  it('evaluates and/or lazily, so a nil guard protects the field after it', () => {
    const body = '{{ or (and .T .T.Unix) "" }}'
    expect(render(body, { T: null })).toBe('')
    expect(render(body, { T: { Unix: () => 1700000000 } })).toBe('1700000000')
  })

  it('formats with printf and passes pipeline values as the last argument', () => {
    expect(render('{{ printf "%.0f" .S }}|{{ printf "%05d-%s" 42 "x" }}', { S: 59.6 })).toBe(
      '60|00042-x',
    )
    expect(render('{{ .S | printf "%.1f" }}', { S: 2 })).toBe('2.0')
    expect(render('{{ len .L }} {{ index .L 1 }} {{ eq .A 2 }}', { L: ['a', 'b'], A: 2 })).toBe(
      '2 b true',
    )
  })

  it('declares variables and calls other blocks with {{ template }}', () => {
    const src =
      '{{ define "inner" }}<{{ .V }}>{{ end }}' +
      '{{ define "t" }}{{ $x := .Name }}{{ template "inner" .Child }}{{ $x }}{{ end }}'
    expect(executeBlock(parseTemplate(src, 'test'), 't', { Name: 'n', Child: { V: 'c' } })).toBe(
      '<c>n',
    )
  })

  it('fails loudly on unknown fields, functions, blocks and syntax errors', () => {
    expect(() => render('{{ .Missing }}', {})).toThrow(TemplateError)
    expect(() => render('{{ nope 1 }}', {})).toThrow(/function "nope" not defined/)
    expect(() => executeBlock(parseTemplate('', 'test'), 'absent', {})).toThrow(/no template/)
    expect(() => parseTemplate('{{ define "t" }}{{ if .X }}', 'test')).toThrow(/no matching/)
    expect(() => parseTemplate('{{ .X ', 'test')).toThrow(/unclosed action/)
  })
})
