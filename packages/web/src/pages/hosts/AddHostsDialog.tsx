import { getConfig, getGlobalEnrollSecrets, getTeamSecrets } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { client } from '../../app/client.js'
import { Dialog } from '../../components/Dialog.js'
import { Button, Empty, ErrorNotice, Field, Loading, TextInput } from '../../components/ui.js'
import { fleetdRunCommand } from '../../lib/fleetd-command.js'
import styles from './hosts.module.css'
import { TeamSelect } from './TeamSelect.js'

/** The enroll secrets of a team ('' : the global ones, which enroll hosts on no team). */
function useSecrets(teamId: string) {
  return useQuery({
    queryKey: ['enroll-secrets', teamId],
    queryFn: async () =>
      teamId === ''
        ? (await client.call(getGlobalEnrollSecrets)).spec.secrets
        : (await client.call(getTeamSecrets, { params: { id: Number(teamId) } })).secrets,
  })
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>()
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      setCopied('yes')
    } catch {
      setCopied('failed')
    }
  }
  return (
    <>
      <Button variant="secondary" onClick={() => void copy()}>
        Copy command
      </Button>
      <span role="status">
        {copied === 'yes' ? 'Copied.' : copied === 'failed' ? 'Copy failed: select the text.' : ''}
      </span>
    </>
  )
}

/**
 * "Add hosts": the exact `fleetd run` command for an enroll secret the user picks (its team is
 * the host's team), with a copy button.
 */
export function AddHostsDialog({
  initialTeamId,
  onClose,
}: {
  initialTeamId: number | undefined
  onClose: () => void
}) {
  const [teamId, setTeamId] = useState(initialTeamId === undefined ? '' : String(initialTeamId))
  const [chosen, setChosen] = useState('')
  const [certificate, setCertificate] = useState('')
  const config = useQuery({ queryKey: ['config'], queryFn: () => client.call(getConfig) })
  const secrets = useSecrets(teamId)
  const list = secrets.data ?? []
  const secret = list.find((s) => s.secret === chosen)?.secret ?? list[0]?.secret
  const fleetUrl = config.data?.server_settings.server_url || window.location.origin
  const command =
    secret === undefined
      ? undefined
      : fleetdRunCommand({ fleetUrl, enrollSecret: secret, certificateFile: certificate.trim() })
  return (
    <Dialog
      title="Add hosts"
      onClose={onClose}
      actions={command ? <CopyButton text={command} /> : null}
    >
      <p>Run this on each machine to enroll it with fleetd.</p>
      <TeamSelect
        id="add-hosts-team"
        label="Team"
        value={teamId}
        onChange={(value) => {
          setTeamId(value)
          setChosen('')
        }}
      />
      {secrets.isPending ? <Loading what="enroll secrets" /> : null}
      {secrets.isError ? <ErrorNotice error={secrets.error} /> : null}
      {secrets.isSuccess && list.length === 0 ? (
        <Empty>This team has no enroll secret yet: add one in its settings first.</Empty>
      ) : null}
      {list.length > 1 ? (
        <Field id="add-hosts-secret" label="Enroll secret">
          {(id) => (
            <select id={id} value={secret} onChange={(e) => setChosen(e.target.value)}>
              {list.map((s) => (
                <option key={s.secret} value={s.secret}>
                  {`${s.secret.slice(0, 6)}… (added ${s.created_at.slice(0, 10)})`}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <TextInput
        id="add-hosts-certificate"
        label="Server certificate file (only for a self-signed certificate)"
        placeholder="/path/to/fleet.pem"
        value={certificate}
        onChange={setCertificate}
      />
      {command ? (
        <code className={styles.command} data-testid="fleetd-command">
          {command}
        </code>
      ) : null}
    </Dialog>
  )
}
