import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  contextValue,
  defaultConfigPath,
  readConfigFile,
  readContext,
  updateContext,
} from './config-file.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetctl-config-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('defaultConfigPath', () => {
  it('is ~/.fleet/config unless FLEETCTL_CONFIG says otherwise', () => {
    expect(defaultConfigPath({}, '/home/me')).toBe('/home/me/.fleet/config')
    expect(defaultConfigPath({ FLEETCTL_CONFIG: '/etc/fc' }, '/home/me')).toBe('/etc/fc')
  })
})

describe('readConfigFile', () => {
  it('treats a missing file as an empty config', async () => {
    await expect(readConfigFile(join(dir, 'nope'))).resolves.toEqual({ contexts: {} })
    await expect(readContext(join(dir, 'nope'), 'default')).resolves.toBeUndefined()
  })

  it('reads a file written by Fleet, keeping keys it does not manage', async () => {
    const path = join(dir, 'config')
    await writeFile(
      path,
      [
        'contexts:',
        '  default:',
        '    address: https://fleet.example.com',
        '    email: me@example.com',
        '    token: abc',
        '    tls-skip-verify: "true"',
        '    rootca: ""',
        '    url-prefix: ""',
        '    custom-headers:',
        '      X-Org: acme',
        '',
      ].join('\n'),
    )
    const context = await readContext(path, 'default')
    expect(context).toMatchObject({
      address: 'https://fleet.example.com',
      token: 'abc',
      'tls-skip-verify': true,
      'custom-headers': { 'X-Org': 'acme' },
    })
    expect(contextValue(context, 'tls-skip-verify')).toBe('true')
    expect(contextValue(context, 'rootca')).toBe('')
  })

  it('names the file when it is malformed', async () => {
    const path = join(dir, 'config')
    await writeFile(path, 'contexts: [1, 2')
    await expect(readConfigFile(path)).rejects.toThrow(`error reading config at ${path}`)
    await writeFile(path, 'contexts:\n  default:\n    tls-skip-verify: maybe\n')
    await expect(readConfigFile(path)).rejects.toThrow(/contexts\.default\.tls-skip-verify/)
  })
})

describe('updateContext', () => {
  it('creates the file 0600 in a 0700 directory', async () => {
    const path = join(dir, 'nested', '.fleet', 'config')
    const res = await updateContext(path, 'default', { address: 'https://a', token: 't' })
    expect(res.created).toBe(true)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect((await stat(join(dir, 'nested', '.fleet'))).mode & 0o777).toBe(0o700)
    expect(await readFile(path, 'utf8')).toBe(
      'contexts:\n  default:\n    address: https://a\n    token: t\n',
    )
  })

  it('merges into an existing context, leaves others alone and tightens loose modes', async () => {
    const path = join(dir, 'config')
    await writeFile(
      path,
      'contexts:\n  other:\n    address: https://b\n  default:\n    address: https://a\n',
      {
        mode: 0o644,
      },
    )
    const res = await updateContext(path, 'default', { token: 'new', 'tls-skip-verify': true })
    expect(res.created).toBe(false)
    expect(await readConfigFile(path)).toEqual({
      contexts: {
        other: { address: 'https://b' },
        default: { address: 'https://a', token: 'new', 'tls-skip-verify': true },
      },
    })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
  })
})
