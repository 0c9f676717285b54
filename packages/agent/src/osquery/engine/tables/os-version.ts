import { parseKeyValues, type HostFs } from '../host-fs.js'
import { cols, type TableRow, type TableSpec } from '../table.js'
import { NAMESPACE_COLUMNS, namespaceFs } from './namespaces.js'

const OS_RELEASE_COLUMNS: Record<string, string> = {
  NAME: 'name',
  VERSION: 'version',
  BUILD_ID: 'build',
  ID: 'platform',
  ID_LIKE: 'platform_like',
  VERSION_CODENAME: 'codename',
}

function applyOsRelease(row: TableRow, text: string): void {
  for (const [key, value] of parseKeyValues(text)) {
    const column = OS_RELEASE_COLUMNS[key] ?? (key.includes('CODENAME') ? 'codename' : undefined)
    if (column) {
      row[column] = value
    } else if (key === 'VERSION_ID') {
      const [major, minor, patch] = value.split('.', 3)
      row.major = major
      if (minor !== undefined) {
        row.minor = minor
      }
      if (patch !== undefined) {
        row.patch = patch
      }
    }
  }
}

/** Older Red Hat and Gentoo systems describe themselves in a one-line release file. */
function applyReleaseFile(row: TableRow, fs: HostFs): boolean {
  for (const [file, platform] of [
    ['/etc/redhat-release', 'rhel'],
    ['/etc/gentoo-release', 'gentoo'],
  ] as const) {
    const text = fs.readText(file)
    if (text === undefined) {
      continue
    }
    const content = text.trim().replace(/\s+/g, ' ')
    Object.assign(row, { platform, platform_like: platform, version: content, build: '' })
    const match = /([\w+\s]+) .* ([0-9]+)\.([0-9]+)\.?(\w+)?/.exec(content)
    if (match) {
      Object.assign(row, { name: match[1], major: match[2], minor: match[3], patch: match[4] ?? 0 })
    }
    return true
  }
  return false
}

/** os_version: /etc/os-release (systemd's format), then /etc/redhat-release or gentoo-release. */
export const osVersionTable: TableSpec = {
  name: 'os_version',
  columns: cols(
    'name version major:INTEGER minor:INTEGER patch:INTEGER build platform platform_like codename arch',
  ),
  foreign: ['extra', 'install_date', 'revision'],
  hidden: NAMESPACE_COLUMNS,
  *rows(context, args) {
    const fs = namespaceFs(context, args)
    if (!fs) {
      return
    }
    const row: TableRow = { name: 'Unknown', major: 0, minor: 0, patch: 0, platform: 'posix' }
    const release = fs.readText('/etc/os-release')
    if (release) {
      applyOsRelease(row, release)
    }
    row.arch = context.probe.arch()
    applyReleaseFile(row, fs)
    yield row
  },
}
