export { createSession, endOwnSession, resolveSession, revokeSessions } from './sessions.service.js'
export { sessionRules } from './sessions.rules.js'
export { sessionsModule } from './sessions.module.js'
