import type { HostFs } from '../host-fs.js'

/** One processor block of /proc/cpuinfo: key → value, keys as printed ("model name", "cpu cores"). */
export type CpuInfoBlock = Map<string, string>

/** The processor blocks of /proc/cpuinfo, in order. */
export function readCpuInfo(fs: HostFs): CpuInfoBlock[] {
  const text = fs.readText('/proc/cpuinfo') ?? ''
  const blocks: CpuInfoBlock[] = []
  let current: CpuInfoBlock = new Map()
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':')
    if (line.trim() === '') {
      if (current.size > 0) {
        blocks.push(current)
      }
      current = new Map()
    } else if (colon > 0) {
      current.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
    }
  }
  if (current.size > 0) {
    blocks.push(current)
  }
  return blocks
}

/** Physical cores: distinct (physical id, core id) pairs, or the processor count without them. */
export function physicalCores(blocks: readonly CpuInfoBlock[]): number {
  const cores = new Set(
    blocks
      .filter((block) => block.has('core id'))
      .map((block) => `${block.get('physical id') ?? '0'}/${block.get('core id') ?? ''}`),
  )
  return cores.size > 0 ? cores.size : blocks.length
}
