import { listGlobalPolicies, listTeamPolicies } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { client } from './client.js'

/** Policies of the team in scope (global ones without a team) with their pass/fail host counts. */
export function usePolicies(teamId: number | undefined) {
  return useQuery({
    queryKey: ['policies', teamId],
    queryFn: async () =>
      teamId === undefined
        ? (await client.call(listGlobalPolicies)).policies
        : (await client.call(listTeamPolicies, { params: { id: teamId } })).policies,
  })
}
