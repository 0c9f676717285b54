import { deleteLabelById, getLabel, listLabelHosts, modifyLabel, type Label } from '@fleet/api'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { useInvalidate } from '../../app/mutations.js'
import { ConfirmButton } from '../../components/ConfirmButton.js'
import { PageTitle } from '../../components/PageTitle.js'
import { QueryStatus } from '../../components/QueryStatus.js'
import { Button, Card, ErrorNotice } from '../../components/ui.js'
import { canManageLabels } from '../../lib/admin-roles.js'
import { HostPicker, type PickedHost } from './HostPicker.js'
import { LABEL_PATHS, labelHostsPath } from './label-paths.js'
import { LabelNameFields } from './LabelNameFields.js'
import styles from '../admin.module.css'

function EditLabelForm({ label, members }: { label: Label; members: PickedHost[] }) {
  const me = useMe()
  const navigate = useNavigate()
  const invalidate = useInvalidate(['labels'], ['label', label.id])
  const [name, setName] = useState(label.name)
  const [description, setDescription] = useState(label.description)
  const [hosts, setHosts] = useState<PickedHost[]>(members)
  const manual = label.label_membership_type === 'manual'
  const editable = canManageLabels(me.user) && label.label_type === 'regular'
  const done = async () => {
    await invalidate()
    await navigate(LABEL_PATHS.manage)
  }
  const save = useMutation({
    mutationFn: () =>
      client.call(modifyLabel, {
        params: { id: label.id },
        body: { name, description, ...(manual ? { host_ids: hosts.map((h) => h.id) } : {}) },
      }),
    onSuccess: done,
  })
  const remove = useMutation({
    mutationFn: () => client.call(deleteLabelById, { params: { id: label.id } }),
    onSuccess: done,
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate()
  }
  return (
    <>
      <PageTitle title={label.name}>
        <Link to={labelHostsPath(label.id)}>Show its {label.host_count} hosts</Link>
        {editable ? (
          <ConfirmButton
            label="Delete label"
            question="Delete this label?"
            busy={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        ) : null}
      </PageTitle>
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
      {manual ? null : (
        <Card title="Query">
          <pre className={styles.query}>{label.query}</pre>
          <p>
            Platform: {label.platform || 'all'}. A label&apos;s query can&apos;t change: create a
            new label for a different one.
          </p>
        </Card>
      )}
      {editable ? (
        <Card title="Edit label">
          {save.isError ? <ErrorNotice error={save.error} /> : null}
          <form onSubmit={onSubmit}>
            <LabelNameFields
              name={name}
              setName={setName}
              description={description}
              setDescription={setDescription}
            />
            {manual ? <HostPicker value={hosts} onChange={setHosts} /> : null}
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save label'}
            </Button>
          </form>
        </Card>
      ) : (
        <p>{label.description}</p>
      )}
    </>
  )
}

/** `/labels/:id`: a label's query or hosts; writers rename, re-pick hosts or delete it. */
export function EditLabelPage() {
  const { id: param } = useParams()
  const id = param !== undefined && /^\d{1,9}$/.test(param) ? Number(param) : 0
  const label = useQuery({
    queryKey: ['label', id],
    queryFn: async () => {
      const found = (await client.call(getLabel, { params: { id } })).label
      const members =
        found.label_membership_type === 'manual'
          ? (await client.call(listLabelHosts, { params: { id }, query: {} })).hosts
          : []
      return {
        label: found,
        members: members.map((h) => ({ id: h.id, display_name: h.display_name })),
      }
    },
  })
  return (
    <>
      <p>
        <Link to={LABEL_PATHS.manage}>All labels</Link>
      </p>
      <QueryStatus query={label} what="the label" />
      {label.data ? <EditLabelForm label={label.data.label} members={label.data.members} /> : null}
    </>
  )
}
