import { deleteSession, deleteUserSessions, getSession, listUserSessions } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { isoTime } from '../../platform/clock.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import type { Session } from './session.js'
import * as service from './sessions.service.js'

function presentSession(session: Session) {
  return {
    session_id: session.id,
    user_id: session.userId,
    created_at: isoTime(session.createdAt),
    accessed_at: isoTime(session.accessedAt),
  }
}

export function registerSessionRoutes(r: EndpointRegistrar, { deps }: { deps: Deps }): void {
  registerEndpoint(r, getSession, async ({ params }, ctx) =>
    presentSession(await service.getSession(deps, ctx, params.id)),
  )
  registerEndpoint(r, deleteSession, async ({ params }, ctx) => {
    await service.deleteSession(deps, ctx, params.id)
    return {}
  })
  registerEndpoint(r, listUserSessions, async ({ params }, ctx) => ({
    sessions: (await service.listUserSessions(deps, ctx, params.id)).map(presentSession),
  }))
  registerEndpoint(r, deleteUserSessions, async ({ params }, ctx) => {
    await service.deleteUserSessions(deps, ctx, params.id)
    return {}
  })
}
