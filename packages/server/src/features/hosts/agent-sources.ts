import type { AgentOptions } from '@fleet/api'
import type { AgentHost } from './agent-host.js'

/** What the agent path reads from other features; each source keeps its answer in memory. */
export interface AgentSources {
  /** Global agent options and features (cached by the app-config feature). */
  settings(): Promise<{ agentOptions: AgentOptions; enableHostUsers: boolean }>
  /** A team's own agent options, or null to use the global ones. */
  teamAgentOptions(teamId: number): Promise<AgentOptions | null>
  /** The team of an enroll secret: null for a global secret, undefined if the secret is unknown. */
  secretTeam(secret: string): Promise<number | null | undefined>
  /**
   * The osquery packs a host gets: the scheduled queries (the queries feature's `Global` and
   * `team-<id>` packs) and the 2017-style packs targeting it. Kept in memory; the same object
   * comes back for hosts with the same packs until something changes, which is what the config
   * cache keys on.
   */
  packs?(host: Pick<AgentHost, 'id' | 'teamId' | 'platform'>): Promise<Record<string, unknown>>
}
