import { modifyConfig, modifyTeamAgentOptions } from '@fleet/api'
import { FleetApiError } from '@fleet/client/browser'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { client } from '../../app/client.js'
import { CodeTextarea } from '../../components/CodeTextarea.js'
import { Button, ErrorNotice, Notice } from '../../components/ui.js'
import { agentOptionsProblems, parseYaml, type LineProblem } from '../../lib/yaml-lines.js'
import styles from './settings.module.css'

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The server refused the options themselves (field errors), rather than the request. */
function fieldErrors(error: unknown): FleetApiError | undefined {
  return error instanceof FleetApiError &&
    (error.status === 400 || error.status === 422) &&
    error.errors.length > 0
    ? error
    : undefined
}

/**
 * The agent options YAML of the organization (`teamId` null) or of one team. YAML syntax errors
 * and the server's validation errors are shown at the lines they concern.
 */
export function AgentOptionsEditor({
  teamId,
  initial,
  editable,
}: {
  teamId: number | null
  initial: string
  editable: boolean
}) {
  const queryClient = useQueryClient()
  const [text, setText] = useState(initial)
  const [problems, setProblems] = useState<LineProblem[]>([])
  // Fleet's `force`: stores options of a newer osquery that the server's validation does not know.
  const [force, setForce] = useState(false)
  const save = useMutation({
    mutationFn: async (options: Record<string, unknown>): Promise<void> => {
      if (teamId === null) {
        await client.call(modifyConfig, {
          query: { force: String(force) },
          body: { agent_options: options },
        })
      } else {
        await client.call(modifyTeamAgentOptions, {
          params: { id: teamId },
          query: { force: String(force) },
          body: options,
        })
      }
    },
    onSuccess: async () => {
      setProblems([])
      await queryClient.invalidateQueries({ queryKey: ['agent_options', teamId] })
    },
    onError: (error) => {
      const refused = fieldErrors(error)
      setProblems(refused ? agentOptionsProblems(text, refused.errors) : [])
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    save.reset()
    const parsed = parseYaml(text)
    if (!parsed.ok) {
      setProblems(parsed.problems)
      return
    }
    if (!isMapping(parsed.value)) {
      setProblems([{ line: 1, message: 'Agent options must be a mapping of keys to values.' }])
      return
    }
    setProblems([])
    save.mutate(parsed.value)
  }
  return (
    <form onSubmit={onSubmit} aria-label="Agent options">
      <CodeTextarea
        id="agent-options"
        label={teamId === null ? 'Global agent options (YAML)' : 'Team agent options (YAML)'}
        value={text}
        onChange={setText}
        problems={problems}
        readOnly={!editable}
      />
      {save.isError && !fieldErrors(save.error) ? <ErrorNotice error={save.error} /> : null}
      {save.isSuccess ? <Notice>Agent options saved.</Notice> : null}
      {editable ? (
        <div className={styles.check}>
          <input
            id="agent-options-force"
            type="checkbox"
            checked={force}
            onChange={(e) => setForce(e.target.checked)}
          />
          <label htmlFor="agent-options-force">
            Store options Fleet does not recognize (force), e.g. of a newer osquery
          </label>
        </div>
      ) : null}
      {editable ? (
        <div className={styles.actions}>
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </Button>
          {problems.length > 0 ? (
            <span role="status">
              {problems.length === 1 ? '1 problem' : `${problems.length} problems`} to fix
            </span>
          ) : null}
        </div>
      ) : null}
    </form>
  )
}
