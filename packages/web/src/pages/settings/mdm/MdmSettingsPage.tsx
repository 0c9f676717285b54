import { deleteApnsCertificate, getAppleMdm, getManualEnrollmentProfile } from '@fleet/api'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useMe } from '../../../app/auth.js'
import { client } from '../../../app/client.js'
import { ConfirmButton } from '../../../components/ConfirmButton.js'
import { Facts } from '../../../components/PageTitle.js'
import { QueryStatus } from '../../../components/QueryStatus.js'
import { Badge, Button, Card, ErrorNotice, Notice } from '../../../components/ui.js'
import { canSetUpMdm } from '../../../lib/admin-roles.js'
import { renewalDue, renewalText } from '../../../lib/apple-mdm.js'
import { saveBlob } from '../../../lib/download.js'
import { useConfig } from '../OrgSettingsPage.js'
import { SettingsNav } from '../SettingsNav.js'
import styles from '../settings.module.css'
import { ApnsUploadForm } from './ApnsUploadForm.js'

/** The signed manual enrollment profile, saved as the server names it. */
function EnrollmentProfileButton() {
  const download = useMutation({
    mutationFn: async () => {
      const file = await client.file(getManualEnrollmentProfile)
      saveBlob(file.name ?? 'fleet-mdm-enrollment-profile.mobileconfig', file.blob)
    },
  })
  return (
    <>
      <Button variant="secondary" disabled={download.isPending} onClick={() => download.mutate()}>
        Download enrollment profile
      </Button>
      {download.isError ? <ErrorNotice error={download.error} /> : null}
    </>
  )
}

/** Apple MDM on: the push certificate in use, renew, turn off, the manual enrollment profile. */
function AppleMdmOn() {
  const [renewing, setRenewing] = useState(false)
  const queryClient = useQueryClient()
  const info = useQuery({ queryKey: ['apple-mdm'], queryFn: () => client.call(getAppleMdm) })
  const turnOff = useMutation({
    mutationFn: () => client.call(deleteApnsCertificate),
    // The certificate is gone (asking for it again is a 404): drop it, then read the config,
    // whose "off" replaces this part of the page.
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['apple-mdm'] })
      await queryClient.invalidateQueries({ queryKey: ['config'] })
    },
  })
  return (
    <>
      <QueryStatus query={info} what="the push certificate" />
      {info.data ? (
        <Facts
          items={[
            ['Status', <Badge tone="pass">On</Badge>],
            ['APNs topic', info.data.topic],
            ['Common name', info.data.common_name],
            ['Serial number', info.data.serial_number],
            ['Issuer', info.data.issuer],
            ['Renew by', renewalText(info.data.renew_date)],
          ]}
        />
      ) : null}
      {info.data && renewalDue(info.data.renew_date) ? (
        <Notice>
          The push certificate expires soon: renew it, or devices stop receiving pushes.
        </Notice>
      ) : null}
      <p>
        Hosts enroll manually with the enrollment profile: open it on the Mac and approve it in
        System Settings.
      </p>
      <div className={styles.actions}>
        <EnrollmentProfileButton />
        {renewing ? null : (
          <Button variant="secondary" onClick={() => setRenewing(true)}>
            Renew certificate
          </Button>
        )}
        <ConfirmButton
          label="Turn off MDM"
          question="Turn off Apple MDM? Every enrolled host must enroll again after it is turned back on."
          confirmLabel="Turn off"
          busy={turnOff.isPending}
          onConfirm={() => turnOff.mutate()}
        />
      </div>
      {turnOff.isError ? <ErrorNotice error={turnOff.error} /> : null}
      {renewing ? (
        <Card title="Renew the push certificate">
          <ApnsUploadForm renewing onDone={() => setRenewing(false)} />
        </Card>
      ) : null}
    </>
  )
}

/**
 * `/settings/integrations/mdm`: Apple MDM set-up (Fleet's Settings → Integrations → MDM). Global
 * admins only, as the server allows.
 */
export function MdmSettingsPage() {
  const me = useMe()
  const config = useConfig()
  const allowed = canSetUpMdm(me.user)
  const on = config.data?.mdm.enabled_and_configured
  return (
    <>
      <h1>Settings</h1>
      <SettingsNav />
      <Card title="Apple (macOS) MDM">
        {!allowed ? (
          <Notice>You don&apos;t have access: only global admins set up MDM.</Notice>
        ) : (
          <>
            <QueryStatus query={config} what="the MDM settings" />
            {on === true ? <AppleMdmOn /> : null}
            {on === false ? (
              <>
                <p>
                  Status: <Badge tone="offline">Off</Badge>. Turn on Apple MDM to change settings on
                  macOS hosts and enroll them.
                </p>
                <ApnsUploadForm renewing={false} onDone={() => undefined} />
              </>
            ) : null}
          </>
        )}
      </Card>
    </>
  )
}
