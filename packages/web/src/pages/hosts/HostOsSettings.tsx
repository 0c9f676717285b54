import {
  listHostConfigurationProfiles,
  resendHostConfigurationProfile,
  type HostConfigurationProfile,
  type HostDetailJson,
} from '@fleet/api'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { useInvalidate } from '../../app/mutations.js'
import { Dialog } from '../../components/Dialog.js'
import { SimpleTable, tableStyles } from '../../components/SimpleTable.js'
import { Badge, Button, ErrorNotice } from '../../components/ui.js'
import { canManageControls } from '../../lib/admin-roles.js'
import { hostProfileStatusText, STATUS_NAMES, worstStatus } from '../../lib/os-settings.js'

const TONES = { verified: 'pass', verifying: 'new', pending: 'new', failed: 'fail' } as const

function ResendButton({ hostId, profile }: { hostId: number; profile: HostConfigurationProfile }) {
  const refresh = useInvalidate(['host-profiles', hostId])
  const resend = useMutation({
    mutationFn: () =>
      client.call(resendHostConfigurationProfile, {
        params: { host_id: hostId, profile_uuid: profile.profile_uuid },
      }),
    onSuccess: refresh,
  })
  return (
    <>
      <Button
        variant="secondary"
        aria-label={`Resend ${profile.name}`}
        disabled={resend.isPending}
        onClick={() => resend.mutate()}
      >
        Resend
      </Button>
      {resend.isError ? <ErrorNotice error={resend.error} /> : null}
    </>
  )
}

/** Every profile of the host with its status and the device's error; failed ones resent. */
function ProfilesDialog({
  host,
  profiles,
  onClose,
}: {
  host: HostDetailJson
  profiles: readonly HostConfigurationProfile[]
  onClose: () => void
}) {
  const writer = canManageControls(useMe().user, host.team_id)
  return (
    <Dialog title="OS settings" onClose={onClose}>
      <SimpleTable
        caption="Configuration profiles on this host"
        columns={['Name', 'Status', 'Detail', null]}
      >
        {profiles.map((p) => (
          <tr key={p.profile_uuid}>
            <td>{p.name}</td>
            <td>
              <Badge tone={TONES[p.status ?? 'pending']}>{hostProfileStatusText(p)}</Badge>
            </td>
            <td className={tableStyles.wraps}>{p.detail || '—'}</td>
            <td>
              {writer && p.status === 'failed' && p.operation_type === 'install' ? (
                <ResendButton hostId={host.id} profile={p} />
              ) : null}
            </td>
          </tr>
        ))}
      </SimpleTable>
    </Dialog>
  )
}

/**
 * The host's OS settings as Fleet's host page shows them: its worst profile status as a button
 * that opens the list of its profiles (status, the device's error) with "Resend" on failed ones.
 */
export function HostOsSettings({ host }: { host: HostDetailJson }) {
  const [open, setOpen] = useState(false)
  const profiles = useQuery({
    queryKey: ['host-profiles', host.id],
    queryFn: () => client.call(listHostConfigurationProfiles, { params: { id: host.id } }),
  })
  if (profiles.isPending) {
    return <span>Loading…</span>
  }
  if (profiles.isError) {
    return <ErrorNotice error={profiles.error} onRetry={() => void profiles.refetch()} />
  }
  const list = profiles.data.profiles
  const worst = worstStatus(list)
  if (worst === undefined) {
    return <span>No profiles</span>
  }
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {STATUS_NAMES[worst]} ({list.length} profile{list.length === 1 ? '' : 's'})
      </Button>
      {open ? <ProfilesDialog host={host} profiles={list} onClose={() => setOpen(false)} /> : null}
    </>
  )
}
