export { APNS_PRODUCTION_URL, createApnsPusher } from './apns-pusher.js'
export { createApnsConnections } from './apns-connections.js'
export {
  COMMAND_STATUSES,
  MAX_COMMAND_BYTES,
  MAX_COMMAND_RESULT_BYTES,
  decodeCommand,
  encodeCommand,
  parseCommandReport,
  parsePlistDict,
  type CommandError,
  type CommandReport,
  type CommandStatus,
  type EncodedCommand,
  type PlistDict,
} from './command.js'
export { createCommandQueue, type CommandQueue } from './command-queue.js'
export type { EnqueueOptions, EnqueueResult, NextCommand } from './command-queue.service.js'
export type { Enrollment, EnrollmentType, PushTarget } from './enrollment.js'
export { ENROLLMENT_TYPES, isEnrollmentType } from './enrollment.js'
export { disableDevice, saveTokenUpdate } from './enrollments.service.js'
export { findEnrollment, type TokenUpdateRow } from './enrollments.store.js'
export { MDM_COMMAND_QUEUE, mdmCommandsModule } from './mdm-commands.module.js'
export { setupPushCertificates } from './push-certificates.js'
export type { PushCertificate, PushCertificateSource, PushResult, Pusher } from './push.js'
export type { CommandResultEvent, CommandResultHandler, ResultHandlers } from './result-handlers.js'
export { createResultHandlers } from './result-handlers.js'
