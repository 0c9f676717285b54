import { EXAMPLE_TEAM, EXAMPLE_USER, type Team, type User } from '@fleet/api'

/** A user as the API returns it; override any field. */
export function userFixture(overrides: Partial<User> = {}): User {
  return { ...structuredClone(EXAMPLE_USER), ...overrides }
}

/** A team as the API returns it; override any field. */
export function teamFixture(overrides: Partial<Team> = {}): Team {
  return { ...structuredClone(EXAMPLE_TEAM), ...overrides }
}
