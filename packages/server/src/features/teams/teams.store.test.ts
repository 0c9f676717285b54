import { defaultTeamMdm, type AgentOptions } from '@fleet/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/database.js'
import { insertReturningId, isUniqueViolation } from '../../platform/db/index.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { buildEnrollSecret, buildTeam, FACTORY_NOW as NOW } from '../../test-utils/factories.js'
import { defaultTeamSettings, type TeamSettings } from './team.js'
import {
  deleteTeam,
  findTeam,
  findTeamByName,
  findTeamsByIds,
  listTeams,
  teamIdByName,
  teamNamesByIds,
  updateTeam,
  type TeamListFilter,
} from './teams.store.js'

const CUSTOM_SETTINGS: TeamSettings = {
  features: { enable_host_users: false, enable_software_inventory: true },
  webhook_settings: {
    failing_policies_webhook: {
      enable_failing_policies_webhook: true,
      destination_url: 'https://hooks.example.com/fleet?x=1&y=ü',
      policy_ids: [3, 1, 2],
      host_batch_size: 250,
    },
    host_status_webhook: {
      enable_host_status_webhook: true,
      destination_url: 'https://hooks.example.com/status',
      host_percentage: 5,
      days_count: 2,
    },
  },
  host_expiry_settings: { host_expiry_enabled: true, host_expiry_window: 30 },
  integrations: {
    jira: [{ url: 'https://jira.example.com', project_key: 'IT', enable_failing_policies: true }],
    zendesk: null,
    google_calendar: { enable_calendar_events: true, webhook_url: 'https://cal.example.com' },
  },
  mdm: {
    ...defaultTeamMdm(),
    enable_disk_encryption: true,
    macos_updates: { minimum_version: '15.1', deadline: '2027-01-01' },
  },
  scripts: ['lib/one.sh'],
}

const AGENT_OPTIONS: AgentOptions = {
  config: {
    options: { distributed_interval: 10, logger_plugin: 'tls', disable_distributed: false },
    decorators: { load: ['SELECT uuid AS host_uuid FROM system_info;'] },
  },
  overrides: { platforms: { darwin: { options: { distributed_interval: 5 } }, windows: null } },
  command_line_flags: { verbose: true },
}

describe.each(DIALECTS)('teams store [%s]', (dialect) => {
  let t: TestDatabase
  let db: Db
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    db = t.db
  })
  afterAll(() => t.drop())

  const add = async (
    name: string,
    extra: { settings?: TeamSettings; agentOptions?: AgentOptions | null; now?: number } = {},
  ): Promise<number> => (await buildTeam(db, { name, ...extra })).id

  describe('one team', () => {
    it('inserts a team and finds it, settings and agent options round-tripped', async () => {
      const id = await add('Workstations', {
        settings: CUSTOM_SETTINGS,
        agentOptions: AGENT_OPTIONS,
      })
      expect(await findTeam(db, id)).toEqual({
        id,
        createdAt: NOW,
        name: 'Workstations',
        description: 'Workstations description',
        agentOptions: AGENT_OPTIONS,
        settings: CUSTOM_SETTINGS,
      })
    })

    it('returns undefined for an unknown id or name', async () => {
      expect(await findTeam(db, 987_654)).toBeUndefined()
      expect(await findTeamByName(db, 'No such team')).toBeUndefined()
    })

    it('finds a team by name without regard to case, and only the whole name', async () => {
      const id = await add('Servers Prod')
      expect((await findTeamByName(db, 'Servers Prod'))?.id).toBe(id)
      expect((await findTeamByName(db, 'servers prod'))?.id).toBe(id)
      expect((await findTeamByName(db, 'SERVERS PROD'))?.id).toBe(id)
      expect(await findTeamByName(db, 'Servers')).toBeUndefined()
      expect(await findTeamByName(db, 'Servers%')).toBeUndefined()
    })

    it('round-trips a unicode name', async () => {
      const id = await add('Équipe 東京 🚀')
      expect((await findTeam(db, id))?.name).toBe('Équipe 東京 🚀')
      expect((await findTeamByName(db, 'Équipe 東京 🚀'))?.id).toBe(id)
    })

    it('refuses a duplicate name with a unique violation', async () => {
      await add('Twice')
      const err: unknown = await add('Twice').catch((e: unknown) => e)
      expect(isUniqueViolation(err)).toBe(true)
    })

    it('fills settings missing from the stored JSON with the defaults', async () => {
      const id = await insertReturningId(
        db,
        db.insertInto('teams').values({
          name: 'Partial settings',
          description: '',
          created_at: NOW,
          agent_options: null,
          settings: JSON.stringify({ features: { enable_host_users: false } }),
        }),
      )
      const defaults = defaultTeamSettings()
      expect((await findTeam(db, id))?.settings).toEqual({
        ...defaults,
        features: { enable_host_users: false, enable_software_inventory: true },
      })
    })

    it('updates settings, agent options, name and description', async () => {
      const id = await add('Update me')
      await updateTeam(db, id, {
        name: 'Updated',
        description: 'new description',
        settings: CUSTOM_SETTINGS,
        agentOptions: AGENT_OPTIONS,
      })
      expect(await findTeam(db, id)).toEqual({
        id,
        createdAt: NOW,
        name: 'Updated',
        description: 'new description',
        agentOptions: AGENT_OPTIONS,
        settings: CUSTOM_SETTINGS,
      })
    })

    it('leaves unnamed fields alone and sets agent options to null', async () => {
      const id = await add('Partial update', {
        settings: CUSTOM_SETTINGS,
        agentOptions: AGENT_OPTIONS,
      })
      await updateTeam(db, id, { description: 'only this' })
      expect(await findTeam(db, id)).toMatchObject({
        name: 'Partial update',
        description: 'only this',
        agentOptions: AGENT_OPTIONS,
        settings: CUSTOM_SETTINGS,
      })
      await updateTeam(db, id, { agentOptions: null })
      const team = await findTeam(db, id)
      expect(team?.agentOptions).toBeNull()
      expect(team?.settings).toEqual(CUSTOM_SETTINGS)
      const raw = await db
        .selectFrom('teams')
        .select('agent_options')
        .where('id', '=', id)
        .executeTakeFirst()
      expect(raw).toEqual({ agent_options: null })
    })

    it('deletes a team', async () => {
      const id = await add('Delete me')
      await deleteTeam(db, id)
      expect(await findTeam(db, id)).toBeUndefined()
      expect(await findTeamByName(db, 'Delete me')).toBeUndefined()
    })

    it('deleting a team removes its enroll secrets and no others', async () => {
      const doomed = await add('Doomed')
      const kept = await add('Kept')
      await buildEnrollSecret(db, { secret: 'doomed-1', teamId: doomed })
      await buildEnrollSecret(db, { secret: 'doomed-2', teamId: doomed })
      await buildEnrollSecret(db, { secret: 'kept-1', teamId: kept })
      await buildEnrollSecret(db, { secret: 'global-1' })
      await deleteTeam(db, doomed)
      const left = await db
        .selectFrom('enroll_secrets')
        .select('secret')
        .where('secret', 'in', ['doomed-1', 'doomed-2', 'kept-1', 'global-1'])
        .orderBy('secret')
        .execute()
      expect(left.map((r) => r.secret)).toEqual(['global-1', 'kept-1'])
    })
  })

  describe('listing', () => {
    const ids: Record<string, number> = {}
    beforeAll(async () => {
      await db.deleteFrom('teams').execute()
      const names = ['Charlie', 'Alpha', 'Echo 50% off', 'Bravo', 'Delta 500', 'Fox_trot']
      for (const [index, name] of names.entries()) {
        // created_at runs opposite to insertion for half the teams, so it differs from id order.
        ids[name] = await add(name, { now: NOW + (index % 2 === 0 ? index : 100 - index) * 1000 })
      }
    })

    const base: TeamListFilter = { orderKey: 'id', direction: 'asc', offset: 0 }
    async function names(filter: Partial<TeamListFilter>): Promise<string[]> {
      return (await listTeams(db, { ...base, ...filter })).map((team) => team.name)
    }

    it('lists every team in the requested order', async () => {
      expect(await names({})).toEqual([
        'Charlie',
        'Alpha',
        'Echo 50% off',
        'Bravo',
        'Delta 500',
        'Fox_trot',
      ])
      expect(await names({ orderKey: 'name', direction: 'asc' })).toEqual([
        'Alpha',
        'Bravo',
        'Charlie',
        'Delta 500',
        'Echo 50% off',
        'Fox_trot',
      ])
      expect(await names({ orderKey: 'name', direction: 'desc' })).toEqual([
        'Fox_trot',
        'Echo 50% off',
        'Delta 500',
        'Charlie',
        'Bravo',
        'Alpha',
      ])
      // created_at (s after NOW): Charlie 0, Echo 2, Delta 4, Fox_trot 95, Bravo 97, Alpha 99.
      expect(await names({ orderKey: 'created_at', direction: 'asc' })).toEqual([
        'Charlie',
        'Echo 50% off',
        'Delta 500',
        'Fox_trot',
        'Bravo',
        'Alpha',
      ])
    })

    it('searches names without regard to case, % and _ taken literally', async () => {
      expect(await names({ query: 'ALPHA' })).toEqual(['Alpha'])
      expect(await names({ query: 'a' })).toEqual(['Charlie', 'Alpha', 'Bravo', 'Delta 500'])
      expect(await names({ query: '50%' })).toEqual(['Echo 50% off'])
      expect(await names({ query: '50' })).toEqual(['Echo 50% off', 'Delta 500'])
      expect(await names({ query: 'x_t' })).toEqual(['Fox_trot'])
      expect(await names({ query: 'o_o' })).toEqual([])
      expect(await names({ query: 'zzz' })).toEqual([])
    })

    it('restricts to the given ids; an empty list gives none', async () => {
      expect(await names({ ids: [ids.Bravo!, ids.Alpha!, 424_242] })).toEqual(['Alpha', 'Bravo'])
      expect(await names({ ids: [] })).toEqual([])
      expect(await names({ ids: [ids.Bravo!, ids.Alpha!], query: 'brav' })).toEqual(['Bravo'])
    })

    it('pages with limit and offset', async () => {
      const byName = { orderKey: 'name', direction: 'asc' } as const
      expect(await names({ ...byName, limit: 4, offset: 0 })).toEqual([
        'Alpha',
        'Bravo',
        'Charlie',
        'Delta 500',
      ])
      expect(await names({ ...byName, limit: 4, offset: 4 })).toEqual(['Echo 50% off', 'Fox_trot'])
      expect(await names({ ...byName, limit: 4, offset: 8 })).toEqual([])
      expect(await names({ orderKey: 'id', direction: 'desc', limit: 2, offset: 1 })).toEqual([
        'Delta 500',
        'Bravo',
      ])
    })
  })

  describe('read API for other features', () => {
    it('finds teams and their names by id, skipping unknown ids', async () => {
      const one = await add('Reader One', { settings: CUSTOM_SETTINGS })
      const two = await add('Reader Two')
      const found = await findTeamsByIds(db, [two, one, 999_999, one])
      expect(found.map((t) => t.name).sort()).toEqual(['Reader One', 'Reader Two'])
      expect(found.find((t) => t.id === one)?.settings).toEqual(CUSTOM_SETTINGS)
      expect(await teamNamesByIds(db, [one, 999_999])).toEqual(new Map([[one, 'Reader One']]))
      expect(await findTeamsByIds(db, [])).toEqual([])
      expect(await teamNamesByIds(db, [])).toEqual(new Map())
    })

    it('finds a team id by name, regardless of case only when asked', async () => {
      const id = await add('Reader Case')
      expect(await teamIdByName(db, 'reader case', true)).toBe(id)
      expect(await teamIdByName(db, 'Reader Case', false)).toBe(id)
      expect(await teamIdByName(db, 'Reader', true)).toBeUndefined()
      // Without ignoreCase the dialect's `=` decides: MySQL's collation ignores case.
      expect(await teamIdByName(db, 'reader case', false)).toBe(
        dialect === 'mysql' ? id : undefined,
      )
    })
  })
})
