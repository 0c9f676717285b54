import { getDeviceHost } from '@fleet/api'
import { deviceClient } from '../../app/device-client.js'
import { Card } from '../../components/ui.js'
import styles from './device.module.css'

/** What Fleet reads from a device, in the words of Fleet's transparency page. */
const COLLECTED = [
  'The device’s name, hardware model, serial number, processor, memory and disk space.',
  'The operating system, its version, and when the device last restarted.',
  'Network addresses (IP and MAC) the device uses to reach Fleet.',
  'Installed software and browser extensions, and their versions.',
  'User accounts on the device (names and IDs, not passwords).',
  'Answers to your organization’s policies and queries, such as whether the disk is encrypted.',
]

/** What Fleet cannot see, so the user knows the limits as well as the scope. */
const NOT_COLLECTED = [
  'The contents of your files, documents, emails or messages.',
  'Your browsing history, passwords, screen or keystrokes.',
]

/**
 * My device's "what data Fleet collects" section: Fleet's transparency promise in plain words,
 * and a link to the organization's own page (the device API's transparency redirect).
 */
export function DataCollected({ token }: { token: string }) {
  // The redirect points at fleetdm.com or the organization's page; the URL holding the token is not
  // sent there as a referrer.
  const transparency = `${deviceClient.url(getDeviceHost, { params: { token } })}/transparency`
  return (
    <Card title="What data Fleet collects">
      <p>
        Fleet is the tool your IT team uses to keep devices secure and up to date. It runs in the
        background (as fleetd and osquery) and reports to your organization:
      </p>
      <ul className={styles.bullets}>
        {COLLECTED.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      <p>Fleet does not collect:</p>
      <ul className={styles.bullets}>
        {NOT_COLLECTED.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      <p>
        <a href={transparency} target="_blank" rel="noreferrer noopener">
          Learn more about what your organization can see (opens in a new tab)
        </a>
      </p>
    </Card>
  )
}
