export { MDM_DECLARATIVE_HOOK, mdmCheckinModule } from './mdm-checkin.module.js'
export type {
  DeclarativeHandler,
  DeclarativeHook,
  DeclarativeReply,
  DeclarativeRequest,
} from './declarative-hook.js'
export type { ResolvedEnrollment } from './checkin-message.js'
