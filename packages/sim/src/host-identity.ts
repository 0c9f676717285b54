import { createRng, deriveSeed } from './random.js'

/** What makes one simulated host distinct from the others. Derived only from the seed and index. */
export interface HostIdentity {
  /** 0-based position among all simulated hosts. */
  index: number
  /** Seed of this host's own random streams (inventory, answers). */
  seed: number
  /** OS template name, e.g. `ubuntu_22.04`. */
  os: string
  hostname: string
  /** Hardware UUID, upper case like osquery's `system_info.uuid`. */
  uuid: string
  serial: string
  mac: string
  ipv4: string
  /** Link-local IPv6 address. */
  ipv6: string
  /** When the simulated machine booted (ms since epoch); uptime is counted from here. */
  bootTimeMs: number
}

const HOUR_MS = 3_600_000
const MAX_UPTIME_MS = 30 * 24 * HOUR_MS
const SERIAL_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'

/**
 * The identity of host `index` of a simulation seeded with `simSeed`: the same inputs always give
 * the same host, so a re-run with the same `--seed` re-enrolls the same machines.
 */
export function createHostIdentity(
  simSeed: number,
  index: number,
  os: string,
  nowMs: number,
): HostIdentity {
  const seed = deriveSeed(simSeed, index, os)
  const rng = createRng(seed)
  const hex = rng.hex(32).toUpperCase()
  const uuid = [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16).toUpperCase() + hex.slice(17, 20),
    hex.slice(20, 32),
  ].join('-')
  let serial = ''
  for (let i = 0; i < 12; i++) {
    serial += SERIAL_ALPHABET[rng.int(SERIAL_ALPHABET.length)]
  }
  const macBytes = rng.hex(10)
  const mac = `02:${macBytes.match(/../g)?.join(':') ?? ''}`
  return {
    index,
    seed,
    os,
    hostname: `sim-${os.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-${index + 1}`,
    uuid,
    serial,
    mac,
    ipv4: privateIpv4(index),
    ipv6: `fe80::${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}:${rng.hex(4)}`,
    bootTimeMs: nowMs - HOUR_MS - Math.floor(rng.next() * MAX_UPTIME_MS),
  }
}

/** 10.x.y.z, unique for the first 16 million hosts, never a .0 or .255 host part. */
function privateIpv4(index: number): string {
  const d = (index % 254) + 1
  const c = Math.floor(index / 254) % 256
  const b = Math.floor(index / (254 * 256)) % 256
  return `10.${b}.${c}.${d}`
}
