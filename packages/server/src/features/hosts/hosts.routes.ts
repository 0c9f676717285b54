import {
  countHosts,
  deleteHost,
  deleteHosts,
  getHost,
  getHostByIdentifier,
  hostSummary,
  hostsReport,
  listHosts,
  listLabelHosts,
  listOsVersions,
  refetchHost,
  transferHosts,
  transferHostsByFilter,
  type ListHostsQuery,
} from '@fleet/api'
import type { Deps } from '../../deps.js'
import type { DeletionHooks } from '../../platform/deletion-hooks.js'
import {
  registerEndpoint,
  registerStreamEndpoint,
  type EndpointRegistrar,
} from '../../platform/http/index.js'
import {
  presentDetail,
  presentHosts,
  type HostLabelSources,
  type HostListExtras,
  type HostPolicySources,
} from './host-json.js'
import type { HostsMdmSource } from './host-mdm.js'
import { reportLines } from './host-report.js'
import { splitOsVersion } from './os-version.js'
import * as service from './hosts.service.js'

function listExtras(query: ListHostsQuery): HostListExtras {
  return {
    policies: query.populate_policies,
    deviceMapping: query.device_mapping,
    issues: !(query.disable_issues ?? query.disable_failing_policies ?? false),
  }
}

export function registerHostRoutes(
  r: EndpointRegistrar,
  {
    deps,
    invalidateAgents,
    policies,
    labels,
    mdm,
    deletion,
  }: {
    deps: Deps
    invalidateAgents: (ids: readonly number[]) => Promise<void>
    policies?: HostPolicySources
    labels?: HostLabelSources
    mdm?: HostsMdmSource
    deletion: DeletionHooks<readonly number[]>
  },
): void {
  const hostDeps = { ...deps, invalidateAgents, deletion }
  const now = () => deps.clock.now().getTime()
  registerEndpoint(r, listHosts, async ({ query }, ctx) => ({
    hosts: await presentHosts(
      deps.db,
      await service.listHosts(hostDeps, ctx, query),
      now(),
      policies,
      { ...listExtras(query), mdm },
    ),
  }))
  registerEndpoint(r, listLabelHosts, async ({ params, query }, ctx) => ({
    hosts: await presentHosts(
      deps.db,
      await service.listHosts(hostDeps, ctx, { ...query, label_id: params.id }),
      now(),
      policies,
      { ...listExtras(query), mdm },
    ),
  }))
  registerStreamEndpoint(r, hostsReport, async ({ query }, ctx) => {
    const { format: _format, columns, ...filters } = query
    const pages = service.hostPages(hostDeps, ctx, filters)
    async function* presented() {
      for await (const hosts of pages) {
        yield await presentHosts(deps.db, hosts, now(), policies, { mdm })
      }
    }
    const day = deps.clock.now().toISOString().slice(0, 10)
    return { filename: `Hosts ${day}.csv`, chunks: reportLines(columns, presented()) }
  })
  registerEndpoint(r, countHosts, async ({ query }, ctx) => ({
    count: await service.countHosts(hostDeps, ctx, query),
  }))
  registerEndpoint(r, hostSummary, async ({ query }, ctx) => {
    const s = await service.hostSummary(hostDeps, ctx, query)
    return {
      team_id: s.teamId,
      totals_hosts_count: s.total,
      online_count: s.online,
      offline_count: s.offline,
      mia_count: s.missing,
      missing_30_days_count: s.missing,
      new_count: s.new,
      all_linux_count: s.allLinux,
      ...(s.lowDiskSpace === undefined ? {} : { low_disk_space_count: s.lowDiskSpace }),
      builtin_labels: (labels ? await labels.builtinLabels() : []).map((l) => ({
        id: l.id,
        name: l.name,
        description: l.description,
        label_type: l.labelType,
      })),
      platforms: s.platforms.map((p) => ({ platform: p.platform, hosts_count: p.count })),
    }
  })
  registerEndpoint(r, listOsVersions, async ({ query }, ctx) => {
    const counts = await service.osVersions(hostDeps, ctx, query)
    return {
      counts_updated_at: deps.clock.now().toISOString(),
      count: counts.length,
      os_versions: counts.map((c) => ({
        name: c.osVersion,
        ...splitOsVersion(c.osVersion),
        platform: c.platform,
        hosts_count: c.count,
      })),
    }
  })
  registerEndpoint(r, getHost, async ({ params }, ctx) =>
    presentDetail(deps.db, await service.getHost(hostDeps, ctx, params.id), now(), {
      policies,
      labels,
      mdm,
    }),
  )
  registerEndpoint(r, getHostByIdentifier, async ({ params }, ctx) =>
    presentDetail(
      deps.db,
      await service.getHostByIdentifier(hostDeps, ctx, params.identifier),
      now(),
      { policies, labels, mdm },
    ),
  )
  registerEndpoint(r, deleteHost, async ({ params }, ctx) => {
    await service.deleteHost(hostDeps, ctx, params.id)
    return {}
  })
  registerEndpoint(r, deleteHosts, async ({ body }, ctx) => {
    await service.deleteHosts(hostDeps, ctx, body)
    return {}
  })
  registerEndpoint(r, refetchHost, async ({ params }, ctx) => {
    await service.refetchHost(hostDeps, ctx, params.id)
    return {}
  })
  registerEndpoint(r, transferHosts, async ({ body }, ctx) => {
    await service.transferHosts(hostDeps, ctx, body.team_id, { ids: body.hosts })
    return {}
  })
  registerEndpoint(r, transferHostsByFilter, async ({ body }, ctx) => {
    await service.transferHosts(hostDeps, ctx, body.team_id, { filters: body.filters })
    return {}
  })
}
