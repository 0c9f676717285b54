import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OsqueryEnrollRequest, type ResultRow } from '@fleet/api'
import { beforeAll, describe, expect, it } from 'vitest'
import { createHostIdentity, type HostIdentity } from './host-identity.js'
import { DEFAULT_INVENTORY, type NamedVersion } from './inventory.js'
import {
  DEFAULT_TEMPLATES_DIR,
  loadOsTemplate,
  loadVulnerableSoftware,
  renderRows,
  templatesDir,
  type OsTemplate,
} from './os-template.js'
import { personalizeRows } from './personalize.js'
import { templateData, type TemplateEnv } from './template-data.js'

const DIR = templatesDir()
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0)
const FIXTURES = ['ubuntu_22.04', 'windows_11', 'mac10.14.6'] as const

let vulnerable: NamedVersion[]
let env: TemplateEnv
const templates = new Map<string, OsTemplate>()

beforeAll(async () => {
  vulnerable = await loadVulnerableSoftware(DIR)
  env = {
    enrollSecret: 's3cr3t',
    configIntervalMs: 60_000,
    queryIntervalMs: 10_000,
    inventory: DEFAULT_INVENTORY,
    vulnerableSoftware: vulnerable,
  }
  for (const name of FIXTURES) {
    templates.set(name, await loadOsTemplate(DIR, name))
  }
})

function template(name: string): OsTemplate {
  const t = templates.get(name)
  if (t === undefined) {
    throw new Error(`template ${name} not loaded`)
  }
  return t
}

function host(os: string, index: number): HostIdentity {
  return createHostIdentity(42, index, os, NOW)
}

function rows(os: string, block: string, h: HostIdentity): ResultRow[] {
  return renderRows(template(os), block, templateData(h, env, NOW))
}

function enroll(os: string, h: HostIdentity): OsqueryEnrollRequest {
  const text = template(os).render('enroll', templateData(h, env, NOW))
  return OsqueryEnrollRequest.parse(JSON.parse(text))
}

describe.each(FIXTURES)('fixture %s.tmpl', (os) => {
  it('renders an enroll body with the secret and this host’s uuid and hostname', () => {
    const h = host(os, 3)
    const body = enroll(os, h)
    expect(body.enroll_secret).toBe('s3cr3t')
    const system = body.host_details?.['system_info']
    expect(system?.['uuid']).toBe(h.uuid)
    expect(system?.['hostname']).toBe(h.hostname)
    expect(body.host_details?.['osquery_info']?.['uuid']).toBe(h.uuid)
    expect([h.hostname, h.uuid]).toContain(body.host_identifier)
  })

  it('renders every query block as JSON rows of string columns', () => {
    const h = host(os, 0)
    const blocks = template(os).blocks.filter((b) => b !== 'enroll')
    expect(blocks.length).toBeGreaterThan(1)
    for (const block of blocks) {
      const result = rows(os, block, h)
      expect(Array.isArray(result)).toBe(true)
      for (const row of result) {
        for (const value of Object.values(row)) {
          expect(typeof value).toBe('string')
        }
      }
    }
  })

  it('gives different hosts different values', () => {
    const [a, b] = [host(os, 0), host(os, 1)]
    expect(a.uuid).not.toBe(b.uuid)
    expect(a.hostname).toBe(`sim-${os.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-1`)
    expect(JSON.stringify(enroll(os, a))).not.toBe(JSON.stringify(enroll(os, b)))
    const info = (h: HostIdentity) => rows(os, 'fleet_detail_query_osquery_info', h)[0]
    expect(info(a)?.['uuid']).toBe(a.uuid)
    expect(info(b)?.['uuid']).toBe(b.uuid)
  })
})

describe('fixture specifics', () => {
  it('ubuntu: os_version is the fixture’s row', () => {
    expect(rows('ubuntu_22.04', 'fleet_detail_query_os_version', host('ubuntu_22.04', 0))).toEqual([
      expect.objectContaining({
        name: 'Ubuntu 22.4.0',
        platform: 'ubuntu',
        version: 'Ubuntu 22.4.0',
      }),
    ])
    expect(template('ubuntu_22.04').family).toBe('linux')
  })

  it('windows: osquery_flags carry the configured intervals via printf "%.0f"', () => {
    const flags = rows('windows_11', 'fleet_detail_query_osquery_flags', host('windows_11', 0))
    expect(flags).toContainEqual({ name: 'config_refresh', value: '60' })
    expect(flags).toContainEqual({ name: 'distributed_interval', value: '10' })
    expect(template('windows_11').family).toBe('windows')
    expect(rows('windows_11', 'fleet_label_query_10', host('windows_11', 0))).toEqual([
      { '1': '1' },
    ])
    expect(rows('windows_11', 'fleet_label_query_7', host('windows_11', 0))).toEqual([])
  })

  it('mac: users and software range over generated per-host lists', () => {
    const h = host('mac10.14.6', 7)
    const users = rows('mac10.14.6', 'fleet_detail_query_users', h)
    const { commonUsers, uniqueUsers, commonSoftware, uniqueSoftware } = DEFAULT_INVENTORY
    expect(users).toHaveLength(commonUsers + uniqueUsers)
    expect(users[0]).toEqual({
      uid: '1000',
      username: 'common_user_1',
      type: '',
      groupname: 'staff',
      shell: '/bin/zsh',
    })
    expect(users.map((u) => u['username'])).toContain('user_8_1')

    const software = rows('mac10.14.6', 'fleet_detail_query_software_macos', h)
    const vulnerableCount = Math.min(DEFAULT_INVENTORY.vulnerableSoftware, vulnerable.length)
    expect(vulnerable.length).toBeGreaterThan(0)
    expect(software).toHaveLength(commonSoftware + uniqueSoftware + vulnerableCount)
    expect(software.map((s) => s['name'])).toContain('Unique_8_1.app')
    for (const app of software) {
      expect(app['source']).toBe('apps')
      expect(app['last_opened_at']).toMatch(/^(\d{10})?$/)
    }
    const opened = software.filter((s) => s['last_opened_at'] !== '')
    expect(opened.length).toBeGreaterThan(0)
    expect(opened.length).toBeLessThan(software.length)
  })

  it('mac: personalisation replaces the fixture’s fixed uuid, serial, MAC, IP and uptime', () => {
    const h = host('mac10.14.6', 2)
    const system = personalizeRows(
      'fleet_detail_query_system_info',
      rows('mac10.14.6', 'fleet_detail_query_system_info', h),
      h,
      NOW,
    )
    expect(system[0]).toMatchObject({
      uuid: h.uuid,
      hardware_serial: h.serial,
      hostname: h.hostname,
    })
    const nics = personalizeRows(
      'fleet_detail_query_network_interface',
      rows('mac10.14.6', 'fleet_detail_query_network_interface', h),
      h,
      NOW,
    )
    expect(nics.find((n) => n['interface'] === 'en0' && n['broadcast'] !== '')).toMatchObject({
      address: h.ipv4,
      mac: h.mac,
    })
    expect(nics.find((n) => n['address'] === '127.0.0.1')?.['mac']).toBe('00:00:00:00:00:00')
    const uptime = personalizeRows(
      'fleet_detail_query_uptime',
      rows('mac10.14.6', 'fleet_detail_query_uptime', h),
      h,
      NOW,
    )
    expect(uptime[0]?.['total_seconds']).toBe(String(Math.floor((NOW - h.bootTimeMs) / 1000)))
  })

  it('names the available templates when one is missing', async () => {
    await expect(loadOsTemplate(DIR, 'beos_5')).rejects.toThrow(/available: .*ubuntu_22\.04/)
  })
})

describe('the default templates directory', () => {
  const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))

  it('is the package’s own templates/, so a clone with nothing beside it can simulate', async () => {
    expect(DEFAULT_TEMPLATES_DIR).toBe(join(PACKAGE_DIR, 'templates'))
    expect(templatesDir()).toBe(DEFAULT_TEMPLATES_DIR)
    const ubuntu = await loadOsTemplate(templatesDir(), 'ubuntu_22.04')
    expect(ubuntu.platform).toBe('ubuntu')
    expect(await loadVulnerableSoftware(templatesDir())).not.toHaveLength(0)
  })

  it('ships every template the simulator knows, with its origin and licence noted', async () => {
    const files = await readdir(DEFAULT_TEMPLATES_DIR)
    expect(files).toEqual(
      expect.arrayContaining([...FIXTURES.map((f) => `${f}.tmpl`), 'NOTICE.md']),
    )
  })
})
