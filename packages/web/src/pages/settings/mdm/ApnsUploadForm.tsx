import { getAppleMdmCsr, uploadApnsCertificate } from '@fleet/api'
import { useMutation } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { client } from '../../../app/client.js'
import { useFormMutation } from '../../../app/mutations.js'
import { FileField } from '../../../components/FileField.js'
import { Button, ErrorNotice, ProblemList } from '../../../components/ui.js'
import { csrPem } from '../../../lib/apple-mdm.js'
import { saveTextFile } from '../../../lib/download.js'

/**
 * Turning Apple MDM on (or renewing the push certificate), as Fleet's steps: download the CSR,
 * have Apple's Push Certificates Portal sign it, upload the certificate it gives back. A key
 * made elsewhere (the certificate was not requested here) can be uploaded with it.
 */
export function ApnsUploadForm({ renewing, onDone }: { renewing: boolean; onDone: () => void }) {
  const id = useId()
  const [certificate, setCertificate] = useState<File | undefined>()
  const [privateKey, setPrivateKey] = useState<File | undefined>()
  const [problems, setProblems] = useState<string[]>([])
  const csr = useMutation({
    mutationFn: async () => {
      const { csr: base64 } = await client.call(getAppleMdmCsr)
      saveTextFile('apns.csr', csrPem(base64), 'application/pkcs10')
    },
  })
  const { mutation, onSubmit } = useFormMutation(
    async () => {
      const body = {
        certificate: (await certificate?.text()) ?? '',
        ...(privateKey ? { private_key: await privateKey.text() } : {}),
      }
      return client.call(uploadApnsCertificate, { body })
    },
    { invalidate: [['config'], ['apple-mdm']], onDone },
  )
  return (
    <form
      aria-label={renewing ? 'Renew the push certificate' : 'Turn on Apple MDM'}
      onSubmit={(event) => {
        const found = certificate ? [] : ['Choose the push certificate (.pem) from Apple.']
        setProblems(found)
        if (found.length > 0) {
          event.preventDefault()
          return
        }
        onSubmit(event)
      }}
    >
      <ol>
        <li>
          <p>Download a certificate signing request (CSR).</p>
          <Button variant="secondary" disabled={csr.isPending} onClick={() => csr.mutate()}>
            {csr.isPending ? 'Generating…' : 'Download CSR'}
          </Button>
          {csr.isError ? <ErrorNotice error={csr.error} /> : null}
        </li>
        <li>
          <p>
            Sign in to Apple&apos;s Push Certificates Portal, upload the CSR
            {renewing ? ' to renew the certificate (with the same Apple ID)' : ''} and download the
            push certificate (.pem) it creates.
          </p>
        </li>
        <li>
          <p>Upload the push certificate.</p>
          <FileField
            id={`${id}-cert`}
            label="APNs certificate (.pem)"
            accept=".pem,.crt,.cer"
            onChange={setCertificate}
          />
          <FileField
            id={`${id}-key`}
            label="Private key (.key), only for a CSR made elsewhere"
            accept=".key,.pem"
            onChange={setPrivateKey}
          />
        </li>
      </ol>
      <ProblemList title="Before uploading" problems={problems} />
      {mutation.isError ? <ErrorNotice error={mutation.error} /> : null}
      <Button type="submit" disabled={mutation.isPending}>
        {mutation.isPending ? 'Uploading…' : renewing ? 'Renew' : 'Turn on'}
      </Button>
    </form>
  )
}
