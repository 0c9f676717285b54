import { formatAppleText, type AppleStatsSnapshot } from './apple-stats.js'
import { AppleFleet, parseAnswerShares } from './apple-fleet.js'
import { loadOrCreateApnsFiles } from './apns-files.js'
import { startApnsServer, type ApnsServer } from './apns-server.js'

/** The `fleet-sim` flags of the Apple side (seconds, as on the command line). */
export interface AppleFlags {
  appleDevices: number
  appleOffset: number
  apnsListen?: number | undefined
  apnsDir: string
  mdmCheckinInterval: number
  appleAnswerMode: string
  appleKeyPool: number
}

/** What the Apple side shares with the osquery side of one run. */
export interface AppleContext {
  serverUrl: string
  enrollSecret: string
  seed: number
  ca?: string | undefined
  connections: number
  startPeriodMs: number
  hardware?: (index: number) => { udid: string; serial: string } | undefined
  log(line: string): void
}

/** The running Apple side: its stats lines and its stop. */
export interface AppleSide {
  fleet: AppleFleet | undefined
  apns: ApnsServer | undefined
  /** Stats of the interval (or of the whole run with `total`), as text or one JSON line. */
  report(json: boolean, total: boolean): string
  stop(): Promise<void>
}

/**
 * Starts the fake APNs (`--apns-listen`, its PKI kept in `--apns-dir`) and the simulated Macs
 * (`--apple-devices`), printing what Fleet needs to reach the fake: the URL, the CA to trust and
 * the push certificate to upload.
 */
export async function startAppleSide(flags: AppleFlags, ctx: AppleContext): Promise<AppleSide> {
  const fleet =
    flags.appleDevices === 0
      ? undefined
      : new AppleFleet({
          serverUrl: ctx.serverUrl,
          enrollToken: ctx.enrollSecret,
          count: flags.appleDevices,
          offset: flags.appleOffset,
          seed: ctx.seed,
          connections: ctx.connections,
          startPeriodMs: ctx.startPeriodMs,
          checkinIntervalMs: flags.mdmCheckinInterval * 1000,
          answerShares: parseAnswerShares(flags.appleAnswerMode),
          keyPool: flags.appleKeyPool,
          ...(ctx.ca === undefined ? {} : { ca: ctx.ca }),
          ...(ctx.hardware && { hardware: ctx.hardware }),
        })
  let apns: ApnsServer | undefined
  if (flags.apnsListen !== undefined) {
    const files = await loadOrCreateApnsFiles(flags.apnsDir)
    apns = await startApnsServer({
      pki: files.pki,
      port: flags.apnsListen,
      route: (token, body) => fleet?.push(token, body) ?? { status: 400, reason: 'BadDeviceToken' },
    })
    ctx.log(
      `fake APNs on ${apns.url} (topic ${files.pki.push.topic}): run fleet with ` +
        `FLEET_MDM_APPLE_APNS_URL=${apns.url} NODE_EXTRA_CA_CERTS=${files.caPath}` +
        (files.created
          ? `, then: fleetctl mdm upload-apns-certificate --certificate ${files.pushCertPath} --private-key ${files.pushKeyPath}`
          : ` (push certificate ${files.pushCertPath}, reused)`),
    )
  }
  if (fleet) {
    ctx.log(`${flags.appleDevices} simulated Macs → ${ctx.serverUrl}, seed ${ctx.seed}`)
    fleet.start()
  }
  const format = (s: AppleStatsSnapshot, json: boolean, total: boolean): string =>
    json
      ? `${JSON.stringify({ type: total ? 'mdm-summary' : 'mdm-interval', ...s })}\n`
      : formatAppleText(s)
  return {
    fleet,
    apns,
    report: (json, total) =>
      fleet ? format(total ? fleet.snapshot() : fleet.intervalSnapshot(), json, total) : '',
    stop: async () => {
      await apns?.close()
      await fleet?.stop()
    },
  }
}
