import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { FormEvent } from 'react'

/**
 * A function that marks every query under each key prefix stale (refetching those on screen),
 * for a mutation's `onSuccess` that changes several lists at once.
 */
export function useInvalidate(...keys: readonly (readonly unknown[])[]) {
  const queryClient = useQueryClient()
  return async () => {
    await Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })))
  }
}

/**
 * The mutation behind a form: submitting runs `save`; on success the queries under `invalidate`
 * refresh, then `onDone` runs (close the form, go back). The form shows `mutation.error`.
 */
export function useFormMutation<T>(
  save: () => Promise<T>,
  { invalidate, onDone }: { invalidate: readonly (readonly unknown[])[]; onDone?: () => unknown },
) {
  const refresh = useInvalidate(...invalidate)
  const mutation = useMutation({
    mutationFn: save,
    onSuccess: async () => {
      await refresh()
      await onDone?.()
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    mutation.mutate()
  }
  return { mutation, onSubmit }
}
