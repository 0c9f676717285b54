import { createQuery, modifyQuery, type Query } from '@fleet/api'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { teamQuery } from '../../app/team.js'
import { SqlField } from '../../components/SqlField.js'
import { Button, Card, ErrorNotice, Field, Notice, TextInput } from '../../components/ui.js'
import { createBody, fieldErrors, modifyBody, type QueryFormState } from '../../lib/query-form.js'
import { canRunLiveQuery, canWrite } from '../../lib/roles.js'
import { DeleteQueryButton } from './DeleteQueryButton.js'
import { liveQueryLink } from './live-link.js'
import { FieldError, QuerySettingsFields } from './QuerySettingsFields.js'
import styles from './queries.module.css'

/** The teams a new query may be saved to: global for global writers, then each team written. */
function TeamField({
  form,
  change,
}: {
  form: QueryFormState
  change: (patch: Partial<QueryFormState>) => void
}) {
  const me = useMe()
  const teams = me.available_teams.filter((t) => canWrite(me.user, t.id))
  return (
    <Field id="query-team" label="Team">
      {(id) => (
        <select
          id={id}
          value={form.teamId ?? ''}
          onChange={(e) =>
            change({ teamId: e.target.value === '' ? null : Number(e.target.value) })
          }
        >
          {canWrite(me.user, null) ? <option value="">All teams (global)</option> : null}
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

/**
 * The query editor for users who may change it: name, description, SQL with completion, team
 * (new queries only) and schedule settings. A new query opens its own page once saved.
 */
export function QueryEditorForm({ initial, saved }: { initial: QueryFormState; saved?: Query }) {
  const me = useMe()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [form, setForm] = useState(initial)
  const [justSaved, setJustSaved] = useState(false)
  const change = (patch: Partial<QueryFormState>) => {
    setJustSaved(false)
    setForm((current) => ({ ...current, ...patch }))
  }
  const save = useMutation({
    mutationFn: async () =>
      saved
        ? (await client.call(modifyQuery, { params: { id: saved.id }, body: modifyBody(form) }))
            .query
        : (await client.call(createQuery, { body: createBody(form) })).query,
    onSuccess: async (query) => {
      await queryClient.invalidateQueries({ queryKey: ['queries'] })
      queryClient.setQueryData(['query', query.id], { query })
      await queryClient.invalidateQueries({ queryKey: ['query-report', query.id] })
      if (saved) {
        setJustSaved(true)
      } else {
        await navigate(`/queries/${query.id}${teamQuery(query.team_id ?? undefined)}`)
      }
    },
  })
  const errors = fieldErrors(save.error)
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate()
  }
  const mayRun = canRunLiveQuery(me.user, saved?.observer_can_run ?? false)
  return (
    <form onSubmit={onSubmit} aria-label={saved ? `Edit ${saved.name}` : 'New query'}>
      {save.isError ? <ErrorNotice error={save.error} /> : null}
      {justSaved ? <Notice>Query saved.</Notice> : null}
      <div className={styles.layout}>
        <Card title="Query">
          <TextInput
            id="query-name"
            label="Name"
            required
            value={form.name}
            aria-describedby={errors.name ? 'query-name-error' : undefined}
            onChange={(name) => change({ name })}
          />
          <FieldError id="query-name-error" message={errors.name} />
          <TextInput
            id="query-description"
            label="Description"
            value={form.description}
            onChange={(description) => change({ description })}
          />
          <SqlField label="SQL" value={form.query} onChange={(query) => change({ query })} />
          <FieldError id="query-query-error" message={errors.query} />
          <div className={styles.buttons}>
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : saved ? 'Save changes' : 'Save query'}
            </Button>
            {mayRun ? (
              <Link
                className={styles.linkButton}
                to={liveQueryLink(saved?.id, form.query, form.teamId)}
              >
                Live query
              </Link>
            ) : null}
            {saved ? (
              <DeleteQueryButton
                query={saved}
                onDeleted={() =>
                  void navigate(`/queries/manage${teamQuery(saved.team_id ?? undefined)}`)
                }
              />
            ) : null}
          </div>
        </Card>
        <Card title="Schedule and logging">
          {saved ? null : <TeamField form={form} change={change} />}
          <QuerySettingsFields form={form} change={change} errors={errors} />
        </Card>
      </div>
    </form>
  )
}
