import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { configKeys } from './load.js'

describe('docs/configuration.md', () => {
  const doc = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8')
  it.each(configKeys())('documents $path with its env var and flag', (key) => {
    expect(doc).toContain(`| \`${key.path}\` | \`${key.env}\` / \`--${key.flag}\` |`)
  })
})
