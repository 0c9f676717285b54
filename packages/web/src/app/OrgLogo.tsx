import { getConfig } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { client } from './client.js'
import styles from './Layout.module.css'

/**
 * The organization's logo in the header, as Fleet shows it, from `org_info.org_logo_url` (any
 * https address: the CSP's img-src allows them). Nothing while the settings load, when none is
 * set, or when the image cannot load: the header's "Fleet" stands alone then.
 */
export function OrgLogo() {
  const config = useQuery({ queryKey: ['config'], queryFn: () => client.call(getConfig) })
  const info = config.data?.org_info
  if (!info?.org_logo_url) {
    return null
  }
  return (
    <img
      className={styles.logo}
      src={info.org_logo_url}
      alt={`${info.org_name} logo`}
      onError={(event) => {
        event.currentTarget.hidden = true
      }}
    />
  )
}
