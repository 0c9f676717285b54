import { FLEET_API } from '@fleet/test-support'
import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import type { TestServer } from './test-server.js'

const FIXTURES = new URL('../../../../../shared/fixtures/mdm/', import.meta.url)
export const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8')
export const PROFILES = `${FLEET_API}/configuration_profiles`
export const BATCH = `${FLEET_API}/mdm/profiles/batch`
export const b64 = (s: string) => Buffer.from(s).toString('base64')

export type Field = string | { filename: string; contents: string }

function multipart(fields: [string, Field][]): { body: string; type: string } {
  const boundary = 'profiles-test-boundary'
  const parts = fields.map(([name, value]) =>
    typeof value === 'string'
      ? `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
      : `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n${value.contents}\r\n`,
  )
  return {
    body: `${parts.join('')}--${boundary}--\r\n`,
    type: `multipart/form-data; boundary=${boundary}`,
  }
}

export const errorsOf = (res: { data(): Record<string, unknown> }) =>
  (res.data().errors as { reason: string }[]).map((e) => e.reason)

/** The profile calls tests make, as `admin` unless told otherwise. */
export function profilesClient(t: () => TestServer, admin: () => string) {
  return {
    upload: (filename: string, contents: string, extra: [string, Field][] = [], token?: string) => {
      const { body, type } = multipart([['profile', { filename, contents }], ...extra])
      return t().request('POST', PROFILES, {
        token: token ?? admin(),
        rawBody: body,
        headers: { 'content-type': type },
      })
    },
    list: async (query = '') => {
      const res = await t().request('GET', `${PROFILES}${query}`, { token: admin() })
      expect(res.statusCode).toBe(200)
      return res.data().profiles as Record<string, unknown>[]
    },
    activities: async () =>
      (
        (await t().request('GET', `${FLEET_API}/activities`, { token: admin() })).data()
          .activities as { type: string; details: Record<string, unknown> }[]
      ).map((a) => ({ type: a.type, details: a.details })),
  }
}

/** A `host_mdm_apple_profiles` row (install) for tests that set host statuses directly. */
export const hostProfileRow = (hostUuid: string, uuid: string, status: string | null) => ({
  host_uuid: hostUuid,
  profile_uuid: uuid,
  profile_identifier: uuid,
  profile_name: uuid,
  status,
  operation_type: 'install',
  detail: null,
  command_uuid: null,
  checksum: '',
  updated_at: 0,
})

/** A `host_mdm_apple_declarations` row (install) for tests that set host statuses directly. */
export const hostDeclarationRow = (hostUuid: string, uuid: string, status: string | null) => ({
  host_uuid: hostUuid,
  declaration_uuid: uuid,
  declaration_identifier: uuid,
  declaration_name: uuid,
  status,
  operation_type: 'install',
  detail: null,
  token: '',
  secrets_updated_at: null,
  resync: 0,
  updated_at: 0,
})
