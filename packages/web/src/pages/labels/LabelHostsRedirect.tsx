import { Navigate, useParams } from 'react-router'
import { labelHostsPath } from './label-paths.js'

/** Fleet's `/hosts/manage/labels/:label_id` links: the hosts page filtered by that label. */
export function LabelHostsRedirect() {
  const { label_id: id } = useParams()
  const valid = id !== undefined && /^\d{1,9}$/.test(id)
  return <Navigate to={valid ? labelHostsPath(Number(id)) : '/hosts/manage'} replace />
}
