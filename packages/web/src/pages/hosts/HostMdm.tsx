import type { HostDetailJson } from '@fleet/api'
import type { ReactNode } from 'react'
import { FactList } from '../../components/FactList.js'
import { HostOsSettings } from './HostOsSettings.js'

/**
 * The host's MDM facts as Fleet shows them: enrollment status ("On (manual)", "On (automatic)",
 * "Pending", "Off"; none reported reads "Off"), the MDM solution, its server URL, and the
 * host's OS settings (configuration profiles) status.
 */
export function HostMdm({ host }: { host: HostDetailJson }) {
  const status = host.mdm.enrollment_status ?? 'Off'
  const rows: [string, ReactNode][] = [
    ['MDM status', status],
    ['MDM solution', status === 'Off' ? '—' : host.mdm.name || '—'],
    ['MDM server URL', host.mdm.server_url ?? '—'],
    ['OS settings', <HostOsSettings host={host} />],
  ]
  return <FactList rows={rows} />
}
