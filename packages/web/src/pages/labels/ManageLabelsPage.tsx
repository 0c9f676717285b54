import { listLabels, type Label } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { PageTitle } from '../../components/PageTitle.js'
import { QueryStatus } from '../../components/QueryStatus.js'
import { SimpleTable, tableStyles } from '../../components/SimpleTable.js'
import { Empty } from '../../components/ui.js'
import { canManageLabels } from '../../lib/admin-roles.js'
import { LABEL_PATHS, labelHostsPath } from './label-paths.js'
import uiStyles from '../../components/ui.module.css'

/** "Built-in, dynamic", "Custom, manual". */
function labelKind(label: Label): string {
  const kind = label.label_type === 'builtin' ? 'Built-in' : 'Custom'
  return `${kind}, ${label.label_membership_type === 'manual' ? 'manual' : 'dynamic'}`
}

function platformName(label: Label): string {
  return label.platform || 'All platforms'
}

function LabelRows({ labels, editable }: { labels: Label[]; editable: boolean }) {
  return (
    <>
      {labels.map((label) => (
        <tr key={label.id}>
          <td className={tableStyles.wraps}>
            <Link to={labelHostsPath(label.id)}>{label.name}</Link>
            {label.description ? <div>{label.description}</div> : null}
            <div className={tableStyles.narrowOnly}>
              {labelKind(label)} · {platformName(label)}
            </div>
          </td>
          <td className={tableStyles.wideOnly}>{labelKind(label)}</td>
          <td className={tableStyles.wideOnly}>{platformName(label)}</td>
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
    </>
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
      <PageTitle title="Labels">
        {editable ? (
          <>
            <Link className={uiStyles.button} to={LABEL_PATHS.newDynamic}>
              Add dynamic label
            </Link>
            <Link className={`${uiStyles.button} ${uiStyles.secondary}`} to={LABEL_PATHS.newManual}>
              Add manual label
            </Link>
          </>
        ) : null}
      </PageTitle>
      <QueryStatus query={labels} what="labels" />
      {labels.data ? (
        <SimpleTable
          caption="Labels"
          columns={['Name', 'Type', 'Platform', 'Hosts', null]}
          wideOnly={[1, 2]}
        >
          <LabelRows labels={[...custom, ...builtin]} editable={editable} />
        </SimpleTable>
      ) : null}
      {labels.data && custom.length === 0 ? <Empty>No custom labels yet.</Empty> : null}
    </>
  )
}
