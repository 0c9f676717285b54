import type { Db } from '../../db/database.js'
import type { Clock } from '../../platform/clock.js'
import type { Logger } from '../../platform/logger.js'
import { recordActivity } from '../activities/index.js'
import { teamNames } from '../teams/index.js'
import { displayName, type Host } from './host.js'

/**
 * Records that an enrollment moved a returning host to another team (the enroll secret's), as
 * Fleet's `transferred_hosts` activity with no actor (`fleet_initiated`), and logs it with the
 * agent's address. Nothing is recorded when the host stays in its team. See the hosts README,
 * "Re-enrollment": the secret decides the team, and a move is never silent.
 */
export async function recordEnrollTeamMove(
  trx: Db,
  deps: { clock: Clock; log: Pick<Logger, 'warn'> },
  host: Pick<Host, 'id' | 'teamId' | 'computerName' | 'hostname'>,
  teamId: number | null,
  agent: { via: 'osquery' | 'orbit'; ip?: string },
): Promise<void> {
  if (host.teamId === teamId) {
    return
  }
  const teamName = teamId === null ? null : ((await teamNames(trx, [teamId])).get(teamId) ?? null)
  deps.log.warn(
    { hostId: host.id, fromTeamId: host.teamId, toTeamId: teamId, ...agent },
    'enrollment moved an existing host to the enroll secret’s team',
  )
  await recordActivity(
    trx,
    deps.clock,
    {},
    {
      type: 'transferred_hosts',
      details: {
        team_id: teamId,
        team_name: teamName,
        host_ids: [host.id],
        host_display_names: [displayName(host)],
      },
      fleetInitiated: true,
    },
  )
}
