export { createSession, endOwnSession, resolveSession, revokeSessions } from './sessions.service.js'
export { registerSessionRoutes } from './sessions.routes.js'
export { sessionRules } from './sessions.rules.js'
