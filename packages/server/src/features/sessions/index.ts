export { createSession, endOwnSession, resolveSession, revokeSessions } from './sessions.service.js'
export { registerSessionRoutes } from './sessions.routes.js'
