import { hostsReport } from '@fleet/api'
import { useMutation } from '@tanstack/react-query'
import { client } from '../../app/client.js'
import { Button, ErrorNotice } from '../../components/ui.js'
import { saveTextFile } from '../../lib/download.js'
import { reportColumns } from '../../lib/host-columns.js'
import { hostFilterQuery, type HostListState } from '../../lib/host-list-params.js'

/** "Export hosts": the server's CSV report of every host matching the filters, shown columns. */
export function ExportButton({ state, shown }: { state: HostListState; shown: readonly string[] }) {
  const exportCsv = useMutation({
    mutationFn: () =>
      client.text(hostsReport, {
        query: { ...hostFilterQuery(state), format: 'csv', columns: reportColumns(shown) },
      }),
    onSuccess: (csv) => {
      const day = new Date().toISOString().slice(0, 10)
      saveTextFile(`Hosts ${day}.csv`, csv, 'text/csv')
    },
  })
  return (
    <>
      <Button variant="secondary" disabled={exportCsv.isPending} onClick={() => exportCsv.mutate()}>
        {exportCsv.isPending ? 'Exporting…' : 'Export hosts'}
      </Button>
      {exportCsv.isError ? <ErrorNotice error={exportCsv.error} /> : null}
    </>
  )
}
