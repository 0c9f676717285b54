/** Address formatting for /proc/net files, matching inet_ntop's output. */

/** IPv4 from /proc/net's little-endian hex (`0100007F` → `127.0.0.1`). */
export function hexToIpv4(hex: string): string {
  const bytes = Buffer.from(hex.padStart(8, '0'), 'hex')
  return [bytes[3], bytes[2], bytes[1], bytes[0]].join('.')
}

/** Formats 16 bytes as inet_ntop does: longest zero run compressed, v4-mapped as dotted quad. */
export function formatIpv6(bytes: Buffer): string {
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) {
    groups.push(bytes.readUInt16BE(i))
  }
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${[12, 13, 14, 15].map((i) => bytes[i]).join('.')}`
  }
  let bestStart = -1
  let bestLength = 0
  for (let i = 0; i < 8;) {
    let j = i
    while (j < 8 && groups[j] === 0) {
      j += 1
    }
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i
      bestLength = j - i
    }
    i = j === i ? i + 1 : j
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestStart < 0) {
    return hex.join(':')
  }
  const head = hex.slice(0, bestStart).join(':')
  const tail = hex.slice(bestStart + bestLength).join(':')
  return `${head}::${tail}`
}

/** IPv6 from /proc/net/tcp6-style hex: four 32-bit words, each little-endian. */
export function hexWordsToIpv6(hex: string): string {
  const bytes = Buffer.alloc(16)
  for (let word = 0; word < 4; word += 1) {
    const value = Buffer.from(hex.slice(word * 8, word * 8 + 8), 'hex')
    for (let i = 0; i < 4; i += 1) {
      bytes[word * 4 + i] = value[3 - i] ?? 0
    }
  }
  return formatIpv6(bytes)
}

/** IPv6 from /proc/net/ipv6_route and if_inet6 hex (network byte order). */
export function hexToIpv6(hex: string): string {
  return formatIpv6(Buffer.from(hex.padStart(32, '0'), 'hex'))
}
