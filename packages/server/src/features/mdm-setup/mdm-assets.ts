import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { InvalidatedCache } from '../../platform/pubsub/index.js'
import type { SecretBox } from '../../platform/secret-box.js'
import {
  apnsTopic,
  MDM_ASSET_NAMES,
  scepCaFrom,
  type AppleMdmAssets,
  type MdmAssetName,
} from './apple-mdm-assets.js'
import { MDM_ASSETS_CHANGED } from './mdm-setup.channels.js'
import * as store from './mdm-setup.store.js'
import { parseCertificatePem } from '../../platform/pki/x509.js'

/**
 * What other MDM features read: the push certificate (the APNs pusher), the SCEP CA (the SCEP
 * server, `Mdm-Signature` verification, profile signing) and the SCEP challenge. Opened once and
 * kept in memory until MDM_ASSETS_CHANGED; everything undefined while MDM is not set up or the
 * server has no private key.
 */
export interface AppleMdmAssetSource {
  current(): Promise<AppleMdmAssets>
  /** Drops the opened copy on this instance (after a change, before publishing). */
  clear(): void
  readonly subscriptions: InvalidatedCache<AppleMdmAssets>['subscriptions']
}

/** Opens the stored values; a value that does not open (another key) counts as missing. */
export async function openAssets(
  db: Db,
  box: SecretBox,
  names: readonly MdmAssetName[] = MDM_ASSET_NAMES,
): Promise<Map<MdmAssetName, string>> {
  const sealed = await store.readSealedAssets(db, names)
  const opened = new Map<MdmAssetName, string>()
  for (const name of names) {
    const value = sealed.get(name)
    if (value === undefined) {
      continue
    }
    try {
      opened.set(name, box.open(value, name).toString('utf8'))
    } catch {
      // sealed with another server key: unusable, as if absent (the log says so once)
    }
  }
  return opened
}

/** Seals and stores assets. */
export async function sealAssets(
  db: Db,
  box: SecretBox,
  values: ReadonlyMap<MdmAssetName, string>,
  now: number,
): Promise<void> {
  const sealed = new Map<MdmAssetName, string>()
  for (const [name, value] of values) {
    sealed.set(name, box.seal(Buffer.from(value, 'utf8'), name))
  }
  await store.writeSealedAssets(db, sealed, now)
}

function toAssets(opened: Map<MdmAssetName, string>): AppleMdmAssets {
  const assets: AppleMdmAssets = {}
  const caCert = opened.get('ca_cert')
  const caKey = opened.get('ca_key')
  if (caCert && caKey) {
    assets.ca = scepCaFrom(caCert, caKey)
  }
  const certPem = opened.get('apns_cert')
  const keyPem = opened.get('apns_key')
  const cert = certPem ? parseCertificatePem(certPem) : undefined
  const topic = cert ? apnsTopic(cert) : undefined
  if (certPem && keyPem && cert && topic && 'topic' in topic) {
    assets.push = { certPem, keyPem, cert, topic: topic.topic }
  }
  assets.scepChallenge = opened.get('scep_challenge')
  return assets
}

export function createAssetSource(
  deps: Pick<Deps, 'db' | 'log'>,
  box: SecretBox | undefined,
): AppleMdmAssetSource {
  const cache = new InvalidatedCache(async (): Promise<AppleMdmAssets> => {
    if (!box) {
      return {}
    }
    const opened = await openAssets(deps.db, box)
    const stored = await store.readSealedAssets(deps.db, MDM_ASSET_NAMES)
    if (opened.size < stored.size) {
      deps.log.error(
        { unreadable: [...stored.keys()].filter((name) => !opened.has(name as MdmAssetName)) },
        'Apple MDM assets sealed with another server private key cannot be read',
      )
    }
    return toAssets(opened)
  }, [MDM_ASSETS_CHANGED])
  return {
    current: () => cache.get(),
    clear: () => cache.clear(),
    subscriptions: cache.subscriptions,
  }
}
