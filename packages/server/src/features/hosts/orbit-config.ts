import type { AgentOptions, OrbitConfig, OrbitNotifications } from '@fleet/api'

/** Seconds a script may run when the agent options don't say (Fleet's default). */
export const DEFAULT_SCRIPT_EXECUTION_TIMEOUT = 300

/** Nothing for orbit to do: no scripts, installers, MDM or disk-encryption work exists yet. */
export function noNotifications(): OrbitNotifications {
  return {
    renew_enrollment_profile: false,
    rotate_disk_encryption_key: false,
    needs_mdm_migration: false,
    needs_programmatic_windows_mdm_enrollment: false,
    windows_mdm_discovery_endpoint: '',
    needs_programmatic_windows_mdm_unenrollment: false,
    pending_script_execution_ids: [],
    enforce_bitlocker_encryption: false,
    pending_software_installer_ids: [],
    run_setup_experience: false,
    run_disk_encryption_escrow: false,
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : undefined
}

function labelsOf(extension: Record<string, unknown>): string[] {
  const labels = extension.labels
  return Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : []
}

/** True when some extension is targeted at labels (so the host's labels must be read). */
export function extensionsNeedLabels(options: AgentOptions): boolean {
  const extensions = asRecord(options.extensions) ?? {}
  return Object.values(extensions).some((e) => labelsOf(asRecord(e) ?? {}).length > 0)
}

/**
 * The extensions a host gets: one targeted at labels only if the host is in every one of them.
 * `labels` is Fleet's targeting, not orbit's, so it is dropped from what is sent.
 */
export function extensionsFor(
  extensions: Record<string, unknown>,
  hostLabels: ReadonlySet<string>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(extensions)) {
    const extension = asRecord(value)
    if (!extension) {
      continue
    }
    if (!labelsOf(extension).every((label) => hostLabels.has(label))) {
      continue
    }
    const { labels: _labels, ...rest } = extension
    result[name] = rest
  }
  return result
}

function channel(channels: Record<string, unknown>, name: string): string {
  const value = channels[name]
  return typeof value === 'string' ? value : ''
}

/**
 * The update channels the agent options set, as Fleet sends them: absent when the options have
 * none (orbit then keeps the channels it was installed with — sending `stable` would move pinned
 * agents), and "" for a component they leave out.
 */
function updateChannelsOf(options: AgentOptions): OrbitConfig['update_channels'] {
  const channels = asRecord(options.update_channels)
  if (!channels) {
    return undefined
  }
  return {
    orbit: channel(channels, 'orbit'),
    osqueryd: channel(channels, 'osqueryd'),
    desktop: channel(channels, 'desktop'),
  }
}

/**
 * Orbit's config from the agent options that apply to the host (its team's, else the global
 * ones). Forced agent options can hold any JSON, so every field is read defensively.
 */
export function orbitConfigFor(
  options: AgentOptions,
  hostLabels: ReadonlySet<string> = new Set(),
): OrbitConfig {
  const timeout = options.script_execution_timeout
  const flags = asRecord(options.command_line_flags)
  const extensions = asRecord(options.extensions)
  const updateChannels = updateChannelsOf(options)
  return {
    script_execution_timeout:
      typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0
        ? timeout
        : DEFAULT_SCRIPT_EXECUTION_TIMEOUT,
    ...(flags && { command_line_startup_flags: flags }),
    ...(extensions && { extensions: extensionsFor(extensions, hostLabels) }),
    nudge_config: null,
    notifications: noNotifications(),
    ...(updateChannels && { update_channels: updateChannels }),
  }
}
