export type { Engine, EngineContext, QueryOutcome, Row, ScheduleEntry } from './engine.js'
export { createEngine, type EngineOptions } from './create-engine.js'
export { queryCommand, type QueryCommandIo } from './query-command.js'
export type { HostProbe, TableSpec } from './table.js'
