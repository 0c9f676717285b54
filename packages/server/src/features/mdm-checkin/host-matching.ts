import type { Db } from '../../db/database.js'
import { findOrCreateMdmHost } from '../hosts/index.js'
import type { AppleDevice } from './mdm-checkin.store.js'

/** The host an enrolled device is (by UDID = hardware UUID, else serial), created if none. */
export async function matchDeviceToHost(db: Db, device: AppleDevice, now: number): Promise<number> {
  return findOrCreateMdmHost(db, {
    uuid: device.id,
    serial: device.serialNumber,
    deviceName: device.deviceName,
    model: device.model,
    productName: device.productName,
    osVersion: device.osVersion,
    now,
  })
}
