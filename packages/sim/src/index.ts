export { answerQueries, answerQuery, type AnswerSource, type QueryAnswer } from './answer.js'
export { buildProgram, runCli, type CliIo } from './cli.js'
export { Histogram } from './histogram.js'
export { createHostIdentity, type HostIdentity } from './host-identity.js'
export { LogBuffer } from './log-buffer.js'
export {
  parseOsTemplates,
  SimulationOptions,
  templateForHost,
  type SimulationConfig,
  type SimulationInput,
  type WeightedTemplate,
} from './options.js'
export {
  DEFAULT_TEMPLATES_DIR,
  loadOsTemplate,
  parseOsTemplate,
  templatesDir,
  type OsTemplate,
} from './os-template.js'
export { formatJson, formatText } from './report.js'
export { createSimulation, type Simulation, type SimulationHooks } from './simulation.js'
export { ENDPOINTS, type Endpoint, type EndpointStats, type StatsSnapshot } from './stats.js'
export {
  scepEnroll,
  ScepError,
  undiciScepHttp,
  type ScepHttp,
  type ScepIdentity,
} from './apple/scep-client.js'
export {
  readEnrollmentProfile,
  SimulatedAppleDevice,
  type DeviceAnswerMode,
  type EnrollmentInfo,
  type MdmAnswer,
  type SessionResult,
  type SimulatedAppleDeviceOptions,
} from './apple/device.js'
export { answerCommand, type AnswerMode, type DeviceFacts } from './apple/device-answers.js'
export {
  DdmClient,
  DdmProtocolError,
  type DdmSend,
  type DdmSyncResult,
} from './apple/ddm-client.js'
export {
  AppleFleet,
  parseAnswerShares,
  type AnswerShare,
  type AppleFleetOptions,
} from './apple/apple-fleet.js'
export { formatAppleText, type AppleStatsSnapshot } from './apple/apple-stats.js'
export { createApnsPki, type ApnsPki, type CertAndKey } from './apple/apns-pki.js'
export { loadOrCreateApnsFiles, type ApnsFiles } from './apple/apns-files.js'
export {
  startApnsServer,
  type ApnsAnswer,
  type ApnsServer,
  type ApnsServerOptions,
  type PushRouter,
} from './apple/apns-server.js'
