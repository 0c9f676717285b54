import {
  getConfigurationProfile,
  getHost,
  getManualEnrollmentProfile,
  hostsReport,
  hostSummary,
  login,
} from '@fleet/api'
import { describe, expect, it } from 'vitest'
import {
  attachmentName,
  BrowserFleetClient,
  FleetApiError,
  FleetConnectionError,
} from './browser.js'

type Seen = { url: string; init: RequestInit | undefined }

function fakeFetch(status: number, body: unknown, seen: Seen[] = []): typeof fetch {
  return (input, init) => {
    seen.push({ url: String(input), init })
    return Promise.resolve(new Response(JSON.stringify(body), { status }))
  }
}

describe('BrowserFleetClient', () => {
  it('calls same-origin paths with the session token and checks the answer', async () => {
    const seen: Seen[] = []
    const summary = {
      team_id: 2,
      totals_hosts_count: 1,
      online_count: 1,
      offline_count: 0,
      mia_count: 0,
      missing_30_days_count: 0,
      new_count: 0,
      all_linux_count: 1,
      builtin_labels: [],
      platforms: [{ platform: 'ubuntu', hosts_count: 1 }],
    }
    const client = new BrowserFleetClient({
      token: () => 'tok',
      fetch: fakeFetch(200, summary, seen),
    })
    expect(await client.call(hostSummary, { query: { team_id: 2 } })).toEqual(summary)
    expect(seen[0]?.url).toBe('/api/latest/fleet/host_summary?team_id=2')
    expect(seen[0]?.init?.headers).toMatchObject({ authorization: 'Bearer tok' })
  })

  it('ends the session on a 401 to a call made with a token', async () => {
    const refused: FleetApiError[] = []
    const client = new BrowserFleetClient({
      token: () => 'expired',
      fetch: fakeFetch(401, { message: 'Authentication required', errors: [] }),
      onUnauthorized: (err) => refused.push(err),
    })
    await expect(client.call(getHost, { params: { id: 1 } })).rejects.toBeInstanceOf(FleetApiError)
    expect(refused).toHaveLength(1)
    expect(refused[0]?.status).toBe(401)
  })

  it("gives the server's message and field errors on a 4xx", async () => {
    const client = new BrowserFleetClient({
      token: () => undefined,
      fetch: fakeFetch(401, {
        message: 'Authentication failed',
        errors: [{ name: 'base', reason: 'bad email or password' }],
      }),
    })
    const err = await client
      .call(login, { body: { email: 'a@example.com', password: 'x' } })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FleetApiError)
    expect((err as FleetApiError).message).toBe('Authentication failed')
  })

  it('says the server cannot be reached when fetch fails', async () => {
    const client = new BrowserFleetClient({
      token: () => undefined,
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    })
    await expect(client.call(getHost, { params: { id: 1 } })).rejects.toBeInstanceOf(
      FleetConnectionError,
    )
  })

  it('reads a file endpoint as text, asking for its media type, and refuses as call does', async () => {
    const seen: Seen[] = []
    const csv = 'hostname\r\nhost-1\r\n'
    const client = new BrowserFleetClient({
      token: () => 'tok',
      fetch: (input, init) => {
        seen.push({ url: String(input), init })
        return Promise.resolve(new Response(csv, { status: 200 }))
      },
    })
    const text = await client.text(hostsReport, { query: { format: 'csv', columns: 'hostname' } })
    expect(text).toBe(csv)
    expect(seen[0]?.url).toBe('/api/latest/fleet/hosts/report?format=csv&columns=hostname')
    expect(seen[0]?.init?.headers).toMatchObject({ accept: 'text/csv' })
    const refused: FleetApiError[] = []
    const denied = new BrowserFleetClient({
      token: () => 'expired',
      fetch: fakeFetch(401, { message: 'Authentication required', errors: [] }),
      onUnauthorized: (err) => refused.push(err),
    })
    await expect(denied.text(hostsReport, { query: { format: 'csv' } })).rejects.toBeInstanceOf(
      FleetApiError,
    )
    expect(refused).toHaveLength(1)
  })

  it('downloads a file as its bytes with the name the server gave it', async () => {
    const der = new Uint8Array([0x30, 0x82, 0xff, 0x00, 0xc3])
    const seen: Seen[] = []
    const client = new BrowserFleetClient({
      token: () => 'tok',
      fetch: (input, init) => {
        seen.push({ url: String(input), init })
        return Promise.resolve(
          new Response(der, {
            status: 200,
            headers: {
              'content-disposition': 'attachment; filename="2026-12-07_Wi-Fi.mobileconfig"',
            },
          }),
        )
      },
    })
    const file = await client.file(getConfigurationProfile, {
      params: { profile_uuid: 'a1' },
      query: { alt: 'media' },
    })
    expect(new Uint8Array(await file.blob.arrayBuffer())).toEqual(der)
    expect(file.name).toBe('2026-12-07_Wi-Fi.mobileconfig')
    expect(seen[0]?.url).toBe('/api/latest/fleet/configuration_profiles/a1?alt=media')
    expect(seen[0]?.init?.headers).toMatchObject({ authorization: 'Bearer tok' })
  })

  it("refuses a file the server won't give with its message, and a 401 ends the session", async () => {
    const refused: FleetApiError[] = []
    const client = new BrowserFleetClient({
      token: () => 'tok',
      fetch: fakeFetch(404, { message: 'Resource Not Found', errors: [] }),
      onUnauthorized: (err) => refused.push(err),
    })
    const err = await client
      .file(getConfigurationProfile, { params: { profile_uuid: 'a9' } })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FleetApiError)
    expect(err).toMatchObject({ status: 404, message: 'Resource Not Found' })
    expect(refused).toHaveLength(0)
    const expired = new BrowserFleetClient({
      token: () => 'old',
      fetch: fakeFetch(401, { message: 'Authentication required', errors: [] }),
      onUnauthorized: (e) => refused.push(e),
    })
    await expect(expired.file(getManualEnrollmentProfile)).rejects.toBeInstanceOf(FleetApiError)
    expect(refused).toHaveLength(1)
  })

  it('reads the file name of a Content-Disposition header', () => {
    expect(attachmentName('attachment; filename="a b.json"')).toBe('a b.json')
    expect(attachmentName('attachment; filename=x.csv')).toBe('x.csv')
    expect(attachmentName('inline')).toBeUndefined()
    expect(attachmentName(null)).toBeUndefined()
  })
})
