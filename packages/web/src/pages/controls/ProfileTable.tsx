import {
  deleteConfigurationProfile,
  getConfigurationProfile,
  type ConfigurationProfile,
} from '@fleet/api'
import { useMutation } from '@tanstack/react-query'
import { client } from '../../app/client.js'
import { useInvalidate } from '../../app/mutations.js'
import { ConfirmButton } from '../../components/ConfirmButton.js'
import { SimpleTable, tableStyles } from '../../components/SimpleTable.js'
import { Badge, Button, ErrorNotice } from '../../components/ui.js'
import { saveBlob } from '../../lib/download.js'
import { timeAgo } from '../../lib/format.js'
import { isBroken, profileKind, profileScope } from '../../lib/os-settings.js'
import styles from './controls.module.css'
import { ProfileStatusCounts } from './ProfileStatusCounts.js'

/** Every host of the team, or the labels of one mode; a deleted label is flagged "broken". */
function Target({ profile }: { profile: ConfigurationProfile }) {
  const scope = profileScope(profile)
  if (scope === undefined) {
    return <span>All hosts</span>
  }
  return (
    <>
      <span>{scope.mode}</span>
      <ul className={styles.labels} aria-label={`Labels of ${profile.name}`}>
        {scope.labels.map((label) => (
          <li key={label.name}>
            <Badge tone={label.broken ? 'fail' : 'new'}>
              {label.name}
              {label.broken ? ' (deleted)' : ''}
            </Badge>
          </li>
        ))}
      </ul>
      {isBroken(profile) ? (
        <p className={styles.warning}>
          A label was deleted: this profile is not installed on new hosts. Delete it and upload it
          again with other labels.
        </p>
      ) : null}
    </>
  )
}

function ProfileRow({
  profile,
  teamId,
}: {
  profile: ConfigurationProfile
  teamId: number | undefined
}) {
  const refresh = useInvalidate(['profiles'], ['profiles-summary'])
  const download = useMutation({
    mutationFn: async () => {
      const file = await client.file(getConfigurationProfile, {
        params: { profile_uuid: profile.profile_uuid },
        query: { alt: 'media' },
      })
      saveBlob(file.name ?? profile.name, file.blob)
    },
  })
  const remove = useMutation({
    mutationFn: () =>
      client.call(deleteConfigurationProfile, { params: { profile_uuid: profile.profile_uuid } }),
    onSuccess: refresh,
  })
  const error = download.error ?? remove.error
  return (
    <tr>
      <td>
        <strong>{profile.name}</strong>
        <div className={styles.muted}>{profile.identifier}</div>
        <div className={tableStyles.narrowOnly}>
          {profileKind(profile)}, uploaded {timeAgo(profile.updated_at)}
        </div>
      </td>
      <td className={tableStyles.wideOnly}>{profileKind(profile)}</td>
      <td>
        <div className={styles.wrap}>
          <Target profile={profile} />
        </div>
      </td>
      <td>
        <ProfileStatusCounts profile={profile} teamId={teamId} />
      </td>
      <td className={tableStyles.wideOnly}>
        <time dateTime={profile.updated_at} title={profile.updated_at}>
          {timeAgo(profile.updated_at)}
        </time>
      </td>
      <td>
        <div className={styles.rowActions}>
          <Button
            variant="secondary"
            aria-label={`Download ${profile.name}`}
            disabled={download.isPending}
            onClick={() => download.mutate()}
          >
            Download
          </Button>
          <ConfirmButton
            label={`Delete ${profile.name}`}
            question={`Delete ${profile.name}? It is removed from the hosts that have it.`}
            confirmLabel="Delete"
            busy={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </div>
        {error ? <ErrorNotice error={error} /> : null}
      </td>
    </tr>
  )
}

/**
 * A team's profiles and declarations: name, kind, target labels, hosts by status, when uploaded,
 * actions.
 */
export function ProfileTable({
  profiles,
  teamId,
}: {
  profiles: readonly ConfigurationProfile[]
  teamId: number | undefined
}) {
  return (
    <SimpleTable
      caption="Configuration profiles"
      columns={['Name', 'Kind', 'Target', 'Hosts', 'Uploaded', null]}
      wideOnly={[1, 4]}
    >
      {profiles.map((profile) => (
        <ProfileRow key={profile.profile_uuid} profile={profile} teamId={teamId} />
      ))}
    </SimpleTable>
  )
}
