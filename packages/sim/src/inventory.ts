import type { HostIdentity } from './host-identity.js'
import { createRng, deriveSeed } from './random.js'

/** How many users and software items each host reports (osquery-perf's defaults). */
export interface InventoryOptions {
  /** Users every host has. */
  commonUsers: number
  /** Users only this host has. */
  uniqueUsers: number
  /** Apps every host has. */
  commonSoftware: number
  /** Apps only this host has. */
  uniqueSoftware: number
  /** Apps drawn from the known-vulnerable list (`macos_vulnerable.software`). */
  vulnerableSoftware: number
}

export const DEFAULT_INVENTORY: InventoryOptions = {
  commonUsers: 10,
  uniqueUsers: 10,
  commonSoftware: 10,
  uniqueSoftware: 1,
  vulnerableSoftware: 10,
}

/** `name##version`, one per line of `macos_vulnerable.software`. */
export interface NamedVersion {
  name: string
  version: string
}

/** A user as the templates' `range .HostUsersMacOS` reads it (Go field names). */
export interface TemplateUser {
  Uid: number
  Username: string
  Type: string
  GroupName: string
  Shell: string
}

/** An app as `range .SoftwareMacOS` reads it; `LastOpenedAt` is nil or has a `Unix` method. */
export interface TemplateSoftware {
  Name: string
  Version: string
  BundleIdentifier: string
  LastOpenedAt: { Unix: () => number } | null
}

/** Parses `name##version` lines, skipping blank and malformed ones. */
export function parseNamedVersions(text: string): NamedVersion[] {
  const out: NamedVersion[] = []
  for (const line of text.split('\n')) {
    const [name, version] = line.trim().split('##')
    if (name && version) {
      out.push({ name, version })
    }
  }
  return out
}

/** The host's users: the common ones (same uid on every host) then its own. */
export function hostUsers(host: HostIdentity, options: InventoryOptions): TemplateUser[] {
  const users: TemplateUser[] = []
  for (let i = 0; i < options.commonUsers; i++) {
    users.push(user(1000 + i, `common_user_${i + 1}`))
  }
  for (let i = 0; i < options.uniqueUsers; i++) {
    users.push(user(2000 + i, `user_${host.index + 1}_${i + 1}`))
  }
  return users
}

function user(uid: number, username: string): TemplateUser {
  return { Uid: uid, Username: username, Type: '', GroupName: 'staff', Shell: '/bin/zsh' }
}

/**
 * The host's apps: common ones, its own unique ones and a stable per-host pick from the vulnerable
 * list. About half have a last-opened time.
 */
export function hostSoftware(
  host: HostIdentity,
  options: InventoryOptions,
  vulnerable: readonly NamedVersion[],
  nowMs: number,
): TemplateSoftware[] {
  const rng = createRng(deriveSeed(host.seed, 'software'))
  const opened = (): TemplateSoftware['LastOpenedAt'] => {
    if (rng.next() < 0.5) {
      return null
    }
    const unix = Math.floor((nowMs - rng.int(30 * 86_400_000)) / 1000)
    return { Unix: () => unix }
  }
  const apps: TemplateSoftware[] = []
  for (let i = 1; i <= options.commonSoftware; i++) {
    apps.push(app(`Common_${i}.app`, `0.0.${i}`, `com.fleetdm.sim.common_${i}`, opened()))
  }
  for (let i = 1; i <= options.uniqueSoftware; i++) {
    const name = `Unique_${host.index + 1}_${i}.app`
    apps.push(app(name, '1.0.0', `com.fleetdm.sim.unique_${host.index + 1}_${i}`, opened()))
  }
  const count = Math.min(options.vulnerableSoftware, vulnerable.length)
  const start = vulnerable.length === 0 ? 0 : rng.int(vulnerable.length)
  for (let i = 0; i < count; i++) {
    const v = vulnerable[(start + i) % vulnerable.length]
    if (v !== undefined) {
      apps.push(app(v.name, v.version, `com.vulnerable.${v.name}`, opened()))
    }
  }
  return apps
}

function app(
  Name: string,
  Version: string,
  BundleIdentifier: string,
  LastOpenedAt: TemplateSoftware['LastOpenedAt'],
): TemplateSoftware {
  return { Name, Version, BundleIdentifier, LastOpenedAt }
}
