import { DeviceFrame } from './DeviceFrame.js'

/**
 * What an unknown or expired device token shows: Fleet's device links last an hour, so the usual
 * cause is an old link, and the fix is to open a fresh one from Fleet Desktop.
 */
export function ExpiredLink() {
  return (
    <DeviceFrame>
      <h1>This link has expired</h1>
      <p>
        This My device link is no longer valid. Links to My device expire after an hour, and a new
        one is made automatically.
      </p>
      <p>
        To get a fresh link, choose <strong>My device</strong> in the Fleet menu of your computer’s
        menu bar or system tray (or run <code>fleetd desktop</code>), or ask your IT team.
      </p>
    </DeviceFrame>
  )
}
