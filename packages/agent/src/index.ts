export type {
  Engine,
  EngineContext,
  QueryOutcome,
  Row,
  ScheduleEntry,
} from './osquery/engine/engine.js'
export { fleetdProgram } from './main.js'
