import { createLabel, LabelPlatform } from '@fleet/api'
import { useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { client } from '../../app/client.js'
import { useFormMutation } from '../../app/mutations.js'
import { SqlField } from '../../components/SqlField.js'
import { Button, Card, ErrorNotice, Field } from '../../components/ui.js'
import { HostPicker, type PickedHost } from './HostPicker.js'
import { LABEL_PATHS } from './label-paths.js'
import { LabelNameFields } from './LabelNameFields.js'

const PLATFORMS: { value: string; name: string }[] = [
  { value: '', name: 'All platforms' },
  { value: 'darwin', name: 'macOS' },
  { value: 'windows', name: 'Windows' },
  { value: 'linux', name: 'Linux (all distributions)' },
  { value: 'ubuntu', name: 'Ubuntu' },
  { value: 'centos', name: 'CentOS' },
  { value: 'rhel', name: 'Red Hat' },
  { value: 'chrome', name: 'ChromeOS' },
]

/** The query and platform of a dynamic label. */
function DynamicFields({
  query,
  setQuery,
  platform,
  setPlatform,
}: {
  query: string
  setQuery: (q: string) => void
  platform: string
  setPlatform: (p: string) => void
}) {
  return (
    <>
      <SqlField
        label="Query (hosts returning rows get the label)"
        value={query}
        onChange={setQuery}
      />
      <Field id="label-platform" label="Platform">
        {(id) => (
          <select id={id} value={platform} onChange={(e) => setPlatform(e.target.value)}>
            {PLATFORMS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.name}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  )
}

/**
 * `/labels/new/dynamic` and `/labels/new/manual`: a label whose hosts a query decides, or one
 * whose hosts are picked by hand.
 */
export function NewLabelPage({ kind }: { kind: 'dynamic' | 'manual' }) {
  const navigate = useNavigate()
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [query, setQuery] = useState('')
  const [platform, setPlatform] = useState('')
  const [hosts, setHosts] = useState<PickedHost[]>([])
  const { mutation: create, onSubmit } = useFormMutation(
    () =>
      client.call(createLabel, {
        body:
          kind === 'dynamic'
            ? { name, description, query, platform: LabelPlatform.parse(platform) }
            : {
                name,
                description,
                label_membership_type: 'manual',
                host_ids: hosts.map((h) => h.id),
              },
      }),
    { invalidate: [['labels']], onDone: () => navigate(LABEL_PATHS.manage) },
  )
  return (
    <>
      <p>
        <Link to={LABEL_PATHS.manage}>All labels</Link>
      </p>
      <h1>{kind === 'dynamic' ? 'New dynamic label' : 'New manual label'}</h1>
      <Card>
        {create.isError ? <ErrorNotice error={create.error} /> : null}
        <form onSubmit={onSubmit}>
          <LabelNameFields
            name={name}
            setName={setName}
            description={description}
            setDescription={setDescription}
          />
          {kind === 'dynamic' ? (
            <DynamicFields
              query={query}
              setQuery={setQuery}
              platform={platform}
              setPlatform={setPlatform}
            />
          ) : (
            <HostPicker value={hosts} onChange={setHosts} />
          )}
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? 'Saving…' : 'Save label'}
          </Button>
        </form>
      </Card>
    </>
  )
}

export const NewDynamicLabelPage = () => <NewLabelPage kind="dynamic" />
export const NewManualLabelPage = () => <NewLabelPage kind="manual" />
