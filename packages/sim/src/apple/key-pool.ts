import type { webcrypto } from 'node:crypto'
import { generateDeviceKeys } from './scep-client.js'

/**
 * A fixed number of device key pairs, made on first use and handed out round-robin by device
 * index, so a simulator of thousands of Macs doesn't spend minutes of CPU making RSA keys. The
 * server sees what it sees from real Macs: a certificate per device, each bound to one device.
 */
export class KeyPool {
  private readonly keys: Promise<webcrypto.CryptoKeyPair>[] = []

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new Error(`a key pool holds at least one key (got ${size})`)
    }
  }

  /** The key pair provider of device `index`. */
  forDevice(index: number): () => Promise<webcrypto.CryptoKeyPair> {
    return () => {
      const slot = index % this.size
      const existing = this.keys[slot]
      if (existing) {
        return existing
      }
      const made = generateDeviceKeys()
      this.keys[slot] = made
      return made
    }
  }
}
