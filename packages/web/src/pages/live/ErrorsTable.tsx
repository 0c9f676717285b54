import { Link } from 'react-router'
import type { HostError } from '../../lib/live-results.js'
import tableStyles from '../../components/table.module.css'

/** Hosts whose answer was an error, with osquery's message. */
export function ErrorsTable({ errors }: { errors: readonly HostError[] }) {
  return (
    <div className={tableStyles.scroller}>
      <table className={tableStyles.table}>
        <caption className="visually-hidden">Hosts that reported an error</caption>
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e) => (
            <tr key={e.hostId}>
              <td>
                <Link to={`/hosts/${e.hostId}`}>{e.displayName}</Link>
              </td>
              <td style={{ whiteSpace: 'pre-wrap' }}>{e.error}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
