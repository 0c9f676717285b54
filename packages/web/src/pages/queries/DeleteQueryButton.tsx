import { deleteQueryById, type Query } from '@fleet/api'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { client } from '../../app/client.js'
import { Button, ErrorNotice } from '../../components/ui.js'
import styles from './queries.module.css'

/**
 * Delete with a confirmation step in place (no browser dialog): the first click asks, the second
 * deletes. Deleting also removes the query's report and its schedule on hosts.
 */
export function DeleteQueryButton({
  query,
  compact = false,
  onDeleted,
}: {
  query: Pick<Query, 'id' | 'name'>
  compact?: boolean
  onDeleted?: () => void
}) {
  const queryClient = useQueryClient()
  const [asking, setAsking] = useState(false)
  const remove = useMutation({
    mutationFn: () => client.call(deleteQueryById, { params: { id: query.id } }),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['query', query.id] })
      await queryClient.invalidateQueries({ queryKey: ['queries'] })
      onDeleted?.()
    },
  })
  if (!asking) {
    return (
      <Button
        variant="secondary"
        aria-label={`Delete ${query.name}`}
        onClick={() => setAsking(true)}
      >
        Delete
      </Button>
    )
  }
  return (
    <div
      className={compact ? styles.confirmCompact : styles.confirm}
      role="group"
      aria-label="Confirm delete"
    >
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
      <span>Delete “{query.name}” and its report?</span>
      <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
        {remove.isPending ? 'Deleting…' : 'Yes, delete'}
      </Button>
      <Button variant="secondary" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </div>
  )
}
