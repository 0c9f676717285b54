import { getConfig } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { ErrorNotice, Loading, Notice } from '../../components/ui.js'
import { toOrgSettingsForm } from '../../lib/org-settings.js'
import { canEditSettings } from '../../lib/roles.js'
import { OrgSettingsForm } from './OrgSettingsForm.js'
import { SettingsNav } from './SettingsNav.js'

/** The organization settings as `GET /config` returns them, shared by the settings pages. */
export function useConfig() {
  return useQuery({ queryKey: ['config'], queryFn: () => client.call(getConfig) })
}

/**
 * `/settings/organization`: organization name, avatar and support URLs, the server's URL, host
 * expiry and the host status and activities webhooks. Only global admins may change them.
 */
export function OrgSettingsPage() {
  const me = useMe()
  const config = useConfig()
  const editable = canEditSettings(me.user, null)
  return (
    <>
      <h1>Settings</h1>
      <SettingsNav />
      {config.isPending ? <Loading what="the organization settings" /> : null}
      {config.isError ? (
        <ErrorNotice error={config.error} onRetry={() => void config.refetch()} />
      ) : null}
      {config.isSuccess ? (
        <>
          {editable ? null : <Notice>Only global admins can change these settings.</Notice>}
          <OrgSettingsForm initial={toOrgSettingsForm(config.data)} editable={editable} />
        </>
      ) : null}
    </>
  )
}
