import {
  batchResendConfigurationProfile,
  getConfigurationProfileStatus,
  type ConfigurationProfile,
} from '@fleet/api'
import { useMutation, useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { client } from '../../app/client.js'
import { useInvalidate } from '../../app/mutations.js'
import { Button, ErrorNotice, Loading } from '../../components/ui.js'
import { PROFILE_STATUSES, profileHostsLink, STATUS_NAMES } from '../../lib/os-settings.js'
import styles from './controls.module.css'

/**
 * One profile's hosts by status, each count a link to those hosts, and "Resend" to every host
 * where it failed (Fleet's batch resend: the next reconcile run sends it again).
 */
export function ProfileStatusCounts({
  profile,
  teamId,
}: {
  profile: ConfigurationProfile
  teamId: number | undefined
}) {
  const uuid = profile.profile_uuid
  const refresh = useInvalidate(['profile-status', uuid], ['profiles-summary'])
  const counts = useQuery({
    queryKey: ['profile-status', uuid],
    queryFn: () => client.call(getConfigurationProfileStatus, { params: { profile_uuid: uuid } }),
  })
  const resend = useMutation({
    mutationFn: () =>
      client.call(batchResendConfigurationProfile, {
        body: { profile_uuid: uuid, filters: { profile_status: 'failed' } },
      }),
    onSuccess: refresh,
  })
  if (counts.isPending) {
    return <Loading what="statuses" />
  }
  if (counts.isError) {
    return <ErrorNotice error={counts.error} onRetry={() => void counts.refetch()} />
  }
  const failed = counts.data.failed
  return (
    <>
      <ul className={styles.statusCounts} aria-label={`Hosts by status of ${profile.name}`}>
        {PROFILE_STATUSES.map((status) => (
          <li key={status}>
            <Link to={profileHostsLink(uuid, status, teamId)}>
              {STATUS_NAMES[status]}: {counts.data[status]}
            </Link>
          </li>
        ))}
      </ul>
      {failed > 0 ? (
        <Button
          variant="secondary"
          aria-label={`Resend ${profile.name} to the ${failed} hosts where it failed`}
          disabled={resend.isPending}
          onClick={() => resend.mutate()}
        >
          Resend failed
        </Button>
      ) : null}
      {resend.isSuccess ? <span role="status">Resending on the next delivery run.</span> : null}
      {resend.isError ? <ErrorNotice error={resend.error} /> : null}
    </>
  )
}
