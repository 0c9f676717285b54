import type { ConsoleServer } from './console-server.js'

/** The admin pages' tests' logins and secret (each test file starts its own server with them). */
export const ADMIN_PASSWORD = 'web-admin-password-1!'
export const ADMIN = { email: 'admin@example.com', password: ADMIN_PASSWORD }
export const OBSERVER = { email: 'observer@example.com', password: 'observer-password-1!' }
export const ADMIN_SECRET = 'web-admin-secret'

/** The id of the team named `name`, through the admin API. */
export async function teamIdByName(api: ConsoleServer['api'], name: string): Promise<number> {
  const teams = (await api('GET', '/api/latest/fleet/teams')).teams as {
    id: number
    name: string
  }[]
  const team = teams.find((t) => t.name === name)
  if (!team) {
    throw new Error(`no team ${name}`)
  }
  return team.id
}
