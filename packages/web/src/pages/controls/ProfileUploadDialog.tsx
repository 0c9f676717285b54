import { uploadConfigurationProfile } from '@fleet/api'
import { useId, useState } from 'react'
import { client } from '../../app/client.js'
import { useFormMutation } from '../../app/mutations.js'
import { Dialog } from '../../components/Dialog.js'
import { FileField } from '../../components/FileField.js'
import { Button, ErrorNotice, ProblemList } from '../../components/ui.js'
import { ALL_HOSTS, uploadBody, uploadProblems, type ProfileTarget } from '../../lib/os-settings.js'
import { LabelTargetFields } from './LabelTargetFields.js'

/**
 * "Add profile": a `.mobileconfig` or DDM `.json` file and its target. The server checks the
 * file; its refusal ("Couldn't add. …") is shown as it says it, and the dialog stays open.
 */
export function ProfileUploadDialog({
  teamId,
  onClose,
}: {
  teamId: number | undefined
  onClose: () => void
}) {
  const formId = useId()
  const [file, setFile] = useState<File | undefined>()
  const [target, setTarget] = useState<ProfileTarget>(ALL_HOSTS)
  const [problems, setProblems] = useState<string[]>([])
  const { mutation, onSubmit } = useFormMutation(
    async () => {
      if (file === undefined) {
        throw new Error('no file chosen')
      }
      const body = uploadBody({ name: file.name, text: await file.text() }, teamId, target)
      return client.call(uploadConfigurationProfile, { body })
    },
    { invalidate: [['profiles'], ['profiles-summary']], onDone: onClose },
  )
  return (
    <Dialog
      title="Add configuration profile"
      onClose={onClose}
      actions={
        <Button type="submit" form={formId} disabled={mutation.isPending}>
          {mutation.isPending ? 'Uploading…' : 'Upload'}
        </Button>
      }
    >
      <form
        id={formId}
        onSubmit={(event) => {
          const found = uploadProblems(file, target)
          setProblems(found)
          if (found.length > 0) {
            event.preventDefault()
            return
          }
          onSubmit(event)
        }}
      >
        <FileField
          id={`${formId}-file`}
          label="Profile (.mobileconfig or .json)"
          accept=".mobileconfig,.json,application/x-apple-aspen-config,application/json"
          onChange={setFile}
        />
        <LabelTargetFields value={target} onChange={setTarget} />
        <ProblemList title="Before uploading" problems={problems} />
        {mutation.isError ? <ErrorNotice error={mutation.error} /> : null}
      </form>
    </Dialog>
  )
}
