export { BufferedLogSink, type SinkStats } from './buffered-sink.js'
export { FilesystemDestination, type RotationOptions } from './filesystem-destination.js'
export type { LogDestination } from './log-destination.js'
export {
  createDestination,
  createLogSinks,
  type LogSinks,
  type LogType,
} from './log-destinations.js'
export {
  createOsqueryLogService,
  LogBufferFullError,
  type OsqueryLogService,
} from './osquery-logs.service.js'
export { OSQUERY_LOG_SINKS, OSQUERY_LOGS, osqueryLogsModule } from './osquery-logs.module.js'
export { StdoutDestination } from './stdout-destination.js'
export { WebhookDestination } from './webhook-destination.js'
