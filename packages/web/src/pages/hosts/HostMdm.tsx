import type { HostDetailJson } from '@fleet/api'
import { FactList } from '../../components/FactList.js'

/**
 * The host's MDM facts as Fleet shows them: enrollment status ("On (manual)", "On (automatic)",
 * "Pending", "Off"; none reported reads "Off"), the MDM solution and its server URL.
 */
export function HostMdm({ host }: { host: HostDetailJson }) {
  const status = host.mdm.enrollment_status ?? 'Off'
  const rows: [string, string][] = [
    ['MDM status', status],
    ['MDM solution', status === 'Off' ? '—' : host.mdm.name || '—'],
    ['MDM server URL', host.mdm.server_url ?? '—'],
  ]
  return <FactList rows={rows} />
}
