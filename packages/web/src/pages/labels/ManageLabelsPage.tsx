import { listLabels, type Label } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { Empty, ErrorNotice, Loading } from '../../components/ui.js'
import { canManageLabels } from '../../lib/admin-roles.js'
import { LABEL_PATHS, labelHostsPath } from './label-paths.js'
import tableStyles from '../../components/table.module.css'
import hostStyles from '../hosts/hosts.module.css'
import uiStyles from '../../components/ui.module.css'

function LabelRows({ labels, editable }: { labels: Label[]; editable: boolean }) {
  return (
    <tbody>
      {labels.map((label) => (
        <tr key={label.id}>
          <td>
            <Link to={labelHostsPath(label.id)}>{label.name}</Link>
            {label.description ? <div>{label.description}</div> : null}
          </td>
          <td>{label.label_type === 'builtin' ? 'Built-in' : 'Custom'}</td>
          <td>{label.label_membership_type === 'manual' ? 'Manual' : 'Dynamic'}</td>
          <td>{label.platform || 'All'}</td>
          <td>{label.host_count}</td>
          <td>
            {label.label_type === 'regular' ? (
              <Link
                to={LABEL_PATHS.edit(label.id)}
                aria-label={`${editable ? 'Edit' : 'View'} ${label.name}`}
              >
                {editable ? 'Edit' : 'View'}
              </Link>
            ) : null}
          </td>
        </tr>
      ))}
    </tbody>
  )
}

/** `/labels/manage`: built-in and custom labels with their host counts; writers add and edit. */
export function ManageLabelsPage() {
  const me = useMe()
  const labels = useQuery({
    queryKey: ['labels'],
    queryFn: () => client.call(listLabels),
  })
  const editable = canManageLabels(me.user)
  const all = labels.data?.labels ?? []
  const custom = all.filter((l) => l.label_type === 'regular')
  const builtin = all.filter((l) => l.label_type === 'builtin')
  return (
    <>
      <div className={hostStyles.titleRow}>
        <h1>Labels</h1>
        {editable ? (
          <div className={hostStyles.actions}>
            <Link className={uiStyles.button} to={LABEL_PATHS.newDynamic}>
              Add dynamic label
            </Link>
            <Link className={`${uiStyles.button} ${uiStyles.secondary}`} to={LABEL_PATHS.newManual}>
              Add manual label
            </Link>
          </div>
        ) : null}
      </div>
      {labels.isPending ? <Loading what="labels" /> : null}
      {labels.isError ? (
        <ErrorNotice error={labels.error} onRetry={() => void labels.refetch()} />
      ) : null}
      {labels.data ? (
        <div className={tableStyles.scroller}>
          <table className={tableStyles.table}>
            <caption className="visually-hidden">Labels</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Membership</th>
                <th scope="col">Platform</th>
                <th scope="col">Hosts</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <LabelRows labels={[...custom, ...builtin]} editable={editable} />
          </table>
        </div>
      ) : null}
      {labels.data && custom.length === 0 ? <Empty>No custom labels yet.</Empty> : null}
    </>
  )
}
