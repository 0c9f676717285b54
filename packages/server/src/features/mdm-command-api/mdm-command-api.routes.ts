import { getMdmCommandResults, listMdmCommands, runMdmCommand } from '@fleet/api'
import { isoTime } from '../../platform/clock.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import * as service from './mdm-command-api.service.js'
import type { HostCommandRow } from './mdm-command-api.service.js'

function presentRow(row: HostCommandRow) {
  return {
    host_uuid: row.hostUuid,
    command_uuid: row.commandUuid,
    status: row.status ?? 'Pending',
    updated_at: isoTime(row.updatedAt),
    request_type: row.requestType,
    hostname: row.hostname,
  }
}

export function registerMdmCommandApiRoutes(
  r: EndpointRegistrar,
  api: service.CommandApiDeps,
): void {
  registerEndpoint(r, runMdmCommand, async ({ body }, ctx) => {
    const result = await service.runCommand(api, ctx, {
      command: body.command,
      hostUuids: body.host_uuids,
    })
    return {
      command_uuid: result.commandUuid,
      request_type: result.requestType,
      platform: 'darwin',
      ...(result.failedUuids.length > 0 && { failed_uuids: result.failedUuids }),
    }
  })
  registerEndpoint(r, listMdmCommands, async ({ query }, ctx) => ({
    results: (await service.listCommands(api, ctx, query)).map((row) => ({
      ...presentRow(row),
      team_id: row.teamId,
    })),
  }))
  registerEndpoint(r, getMdmCommandResults, async ({ query }, ctx) => {
    const { payload, results } = await service.commandResults(api, ctx, query.command_uuid)
    const payload64 = Buffer.from(payload).toString('base64')
    return {
      results: results.map((row) => ({
        ...presentRow(row),
        payload: payload64,
        result: Buffer.from(row.result).toString('base64'),
      })),
    }
  })
}
