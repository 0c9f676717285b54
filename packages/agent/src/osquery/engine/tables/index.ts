import type { TableSpec } from '../table.js'
import { timeTable, uptimeTable } from './clock.js'
import { cpuInfoTable } from './cpu-info.js'
import { debPackagesTable } from './deb-packages.js'
import { fileTable, hashTable } from './file-hash.js'
import { interfaceAddressesTable, interfaceDetailsTable } from './interfaces.js'
import { kernelInfoTable } from './kernel-info.js'
import { loggedInUsersTable } from './logged-in-users.js'
import { memoryInfoTable } from './memory-info.js'
import { mountsTable } from './mounts.js'
import { npmPackagesTable } from './npm-packages.js'
import {
  osqueryExtensionsTable,
  osqueryFlagsTable,
  osqueryInfoTable,
  osqueryRegistryTable,
  osqueryScheduleTable,
} from './osquery-meta.js'
import { orbitInfoTable } from './orbit-info.js'
import { osVersionTable } from './os-version.js'
import { processesTable } from './processes.js'
import { pythonPackagesTable } from './python-packages.js'
import { routesTable } from './routes.js'
import { rpmPackagesTable } from './rpm-packages.js'
import { listeningPortsTable, processOpenSocketsTable } from './sockets.js'
import { systemInfoTable } from './system-info.js'
import { groupsTable, userGroupsTable, usersTable } from './users-groups.js'

/** Every table the engine serves, in no particular order. */
export function allTables(): TableSpec[] {
  return [
    cpuInfoTable,
    debPackagesTable,
    fileTable,
    groupsTable,
    hashTable,
    interfaceAddressesTable,
    interfaceDetailsTable,
    kernelInfoTable,
    listeningPortsTable,
    loggedInUsersTable,
    memoryInfoTable,
    orbitInfoTable,
    mountsTable,
    npmPackagesTable,
    osVersionTable,
    osqueryExtensionsTable,
    osqueryFlagsTable,
    osqueryInfoTable,
    osqueryRegistryTable,
    osqueryScheduleTable,
    processOpenSocketsTable,
    processesTable,
    pythonPackagesTable,
    routesTable,
    rpmPackagesTable,
    systemInfoTable,
    timeTable,
    uptimeTable,
    userGroupsTable,
    usersTable,
  ]
}
