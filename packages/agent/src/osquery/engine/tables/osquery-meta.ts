import { cols, type TableSpec } from '../table.js'
import { hostUuid } from './system-info.js'

/** osquery's platform bitmask: POSIX (0x01) | LINUX (0x08). */
const LINUX_PLATFORM_MASK = 9

/** osquery_info: this engine's identity, as osqueryd reports itself. */
export const osqueryInfoTable: TableSpec = {
  name: 'osquery_info',
  columns: cols(
    'pid:INTEGER uuid instance_id version config_hash config_valid:INTEGER extensions ' +
      'build_platform build_distro start_time:INTEGER watcher:INTEGER platform_mask:INTEGER',
  ),
  *rows({ engine, fs, probe }) {
    const valid = engine.configValid()
    yield {
      pid: probe.pid,
      uuid: hostUuid(fs),
      instance_id: engine.instanceId,
      version: engine.version,
      config_hash: '',
      config_valid: valid ? 1 : 0,
      extensions: valid ? 'active' : 'inactive',
      build_platform: 'linux',
      build_distro: 'linux',
      start_time: engine.startTime,
      watcher: -1,
      platform_mask: LINUX_PLATFORM_MASK,
    }
  },
}

function flagType(value: string): string {
  if (value === 'true' || value === 'false') {
    return 'bool'
  }
  return /^-?\d+$/.test(value) ? 'int32' : 'string'
}

/** osquery_flags: the daemon's effective flags. */
export const osqueryFlagsTable: TableSpec = {
  name: 'osquery_flags',
  columns: cols('name type description default_value value shell_only:INTEGER'),
  *rows({ engine }) {
    for (const [name, value] of [...engine.flags].sort(([a], [b]) => a.localeCompare(b))) {
      yield {
        name,
        type: flagType(value),
        description: '',
        default_value: '',
        value,
        shell_only: 0,
      }
    }
  },
}

/** osquery_schedule: the daemon's scheduled queries and their statistics. */
export const osqueryScheduleTable: TableSpec = {
  name: 'osquery_schedule',
  columns: cols(
    'name query interval:INTEGER executions:BIGINT last_executed:BIGINT denylisted:INTEGER ' +
      'output_size:BIGINT wall_time:BIGINT wall_time_ms:BIGINT last_wall_time_ms:BIGINT ' +
      'user_time:BIGINT last_user_time:BIGINT system_time:BIGINT last_system_time:BIGINT ' +
      'average_memory:BIGINT last_memory:BIGINT',
  ),
  *rows({ engine }) {
    for (const entry of engine.schedule()) {
      yield {
        name: entry.name,
        query: entry.query,
        interval: entry.interval,
        executions: entry.executions,
        last_executed: entry.lastExecuted,
        denylisted: entry.denylisted ? 1 : 0,
        output_size: entry.outputSize,
        wall_time: Math.floor(entry.wallTimeMs / 1000),
        wall_time_ms: entry.wallTimeMs,
        last_wall_time_ms: entry.lastWallTimeMs ?? 0,
        user_time: entry.userTimeMs ?? 0,
        last_user_time: entry.lastUserTimeMs ?? 0,
        system_time: entry.systemTimeMs ?? 0,
        last_system_time: entry.lastSystemTimeMs ?? 0,
        average_memory: entry.averageMemory,
        last_memory: entry.lastMemory ?? 0,
      }
    }
  },
}

/** osquery_registry: the plugins this engine offers (every table, plus the SQL plugin). */
export const osqueryRegistryTable: TableSpec = {
  name: 'osquery_registry',
  columns: cols('registry name owner_uuid:INTEGER internal:INTEGER active:INTEGER'),
  *rows({ tableNames }) {
    yield { registry: 'sql', name: 'sql', owner_uuid: 0, internal: 1, active: 1 }
    for (const name of tableNames()) {
      yield { registry: 'table', name, owner_uuid: 0, internal: 0, active: 1 }
    }
  },
}

/** osquery_extensions: only the core (this engine loads no extensions). */
export const osqueryExtensionsTable: TableSpec = {
  name: 'osquery_extensions',
  columns: cols('uuid:BIGINT name version sdk_version path type'),
  *rows({ engine }) {
    yield {
      uuid: 0,
      name: 'core',
      version: engine.version,
      sdk_version: '0.0.0',
      path: '',
      type: 'core',
    }
  },
}
