import type { AgentOptions } from '@fleet/api'

/** What the agent path reads from other features; each source keeps its answer in memory. */
export interface AgentSources {
  /** Global agent options and features (cached by the app-config feature). */
  settings(): Promise<{ agentOptions: AgentOptions; enableHostUsers: boolean }>
  /** A team's own agent options, or null to use the global ones. */
  teamAgentOptions(teamId: number): Promise<AgentOptions | null>
  /** The team of an enroll secret: null for a global secret, undefined if the secret is unknown. */
  secretTeam(secret: string): Promise<number | null | undefined>
  /**
   * Scheduled queries as osquery packs for hosts of a team on a platform (the queries feature's
   * `Global` and `team-<id>` packs). Kept in memory; the same object comes back until something
   * changes, which is what the config cache compares.
   */
  packs?(teamId: number | null, platform: string): Promise<Record<string, unknown>>
}
