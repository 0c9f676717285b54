import { createHash } from 'node:crypto'
import { isIPv4, isIPv6 } from 'node:net'
import type Database from 'better-sqlite3'

/**
 * osquery's SQL extensions (sqlite_string, sqlite_network, sqlite_hashing, sqlite_encoding), so
 * queries written for osquery (Fleet's detail queries use `split`, `inet_aton`, `regex_match`) run
 * unchanged. SQLite's own math functions are compiled into better-sqlite3 already.
 */

type SqlValue = number | bigint | string | Buffer | null

const REGEX_MAX_SIZE = 256

function text(value: SqlValue): string | null {
  if (value === null) {
    return null
  }
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value)
}

function index(value: SqlValue): number {
  return Number(value)
}

/** osquery::split: split on any of the token characters, dropping empty pieces. */
export function splitAny(input: string, tokens: string): string[] {
  const pieces: string[] = []
  let current = ''
  for (const ch of input) {
    if (tokens.includes(ch)) {
      pieces.push(current)
      current = ''
    } else {
      current += ch
    }
  }
  pieces.push(current)
  return pieces.filter((piece) => piece !== '')
}

function compile(pattern: string): RegExp {
  if (pattern.length > REGEX_MAX_SIZE) {
    throw new Error(`Invalid regex: too big, max size is ${REGEX_MAX_SIZE} bytes`)
  }
  try {
    return new RegExp(pattern)
  } catch {
    throw new Error('Invalid regex')
  }
}

/** inet_aton: an IPv4 address as an unsigned 32-bit number; NULL for IPv6 or garbage. */
export function inetAton(address: string): number | null {
  if (!isIPv4(address)) {
    return null
  }
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0)
}

function ipv6ToBigInt(address: string): bigint {
  const [head = '', tail] = address.split('::')
  const parse = (part: string): string[] => (part === '' ? [] : part.split(':'))
  let groups = parse(head)
  if (tail !== undefined) {
    const rest = parse(tail)
    groups = [...groups, ...Array<string>(8 - groups.length - rest.length).fill('0'), ...rest]
  }
  const last = groups[groups.length - 1] ?? ''
  if (last.includes('.')) {
    const v4 = inetAton(last) ?? 0
    groups = [...groups.slice(0, -1), (v4 >>> 16).toString(16), (v4 & 0xffff).toString(16)]
  }
  return groups.reduce((acc, group) => (acc << 16n) + BigInt(`0x${group || '0'}`), 0n)
}

/** in_cidr_block(cidr, ip): 1 when the address lies in the block, 0 otherwise. */
export function inCidrBlock(cidr: string, ip: string): number {
  const [network = '', bitsText = ''] = cidr.split('/')
  const bits = Number(bitsText)
  if (isIPv4(ip)) {
    if (!isIPv4(network) || !Number.isInteger(bits) || bits < 0 || bits > 32) {
      throw new Error('CIDR for IP address v4 cannot be parsed')
    }
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
    return ((inetAton(ip) ?? 0) & mask) >>> 0 === ((inetAton(network) ?? 0) & mask) >>> 0 ? 1 : 0
  }
  if (isIPv6(ip)) {
    if (!isIPv6(network) || !Number.isInteger(bits) || bits < 0 || bits > 128) {
      throw new Error('CIDR for IP address v6 cannot be parsed')
    }
    const shift = BigInt(128 - bits)
    return ipv6ToBigInt(ip) >> shift === ipv6ToBigInt(network) >> shift ? 1 : 0
  }
  throw new Error('IP address cannot be parsed')
}

function concatValues(separator: string, values: SqlValue[]): string {
  return values
    .map(text)
    .filter((v): v is string => v !== null)
    .join(separator)
}

function registerString(db: Database.Database): void {
  const deterministic = { deterministic: true }
  db.function('split', deterministic, (input: SqlValue, tokens: SqlValue, at: SqlValue) => {
    const source = text(input)
    const separators = text(tokens)
    if (source === null || separators === null || at === null) {
      return null
    }
    if (separators === '') {
      throw new Error('Invalid input to split function')
    }
    return splitAny(source, separators)[index(at)] ?? null
  })
  db.function('regex_split', deterministic, (input: SqlValue, pattern: SqlValue, at: SqlValue) => {
    const source = text(input)
    const regex = text(pattern)
    if (source === null || regex === null || at === null) {
      return null
    }
    return source.split(compile(regex))[index(at)] ?? null
  })
  db.function('regex_match', deterministic, (input: SqlValue, pattern: SqlValue, at: SqlValue) => {
    const source = text(input)
    const regex = text(pattern)
    if (source === null || regex === null || at === null) {
      return null
    }
    return compile(regex).exec(source)?.[index(at)] ?? null
  })
  db.function('inet_aton', deterministic, (address: SqlValue) => {
    const value = text(address)
    const decimal = value === null ? null : inetAton(value)
    // A JS number would reach SQLite as REAL; osquery returns an integer.
    return decimal === null ? null : BigInt(decimal)
  })
  db.function('concat', { deterministic: true, varargs: true }, (...values: SqlValue[]) =>
    concatValues('', values),
  )
  db.function('concat_ws', { deterministic: true, varargs: true }, (...values: SqlValue[]) => {
    if (values.length === 0) {
      throw new Error('Missing separator to concat_ws')
    }
    const [separator = null, ...rest] = values
    return concatValues(text(separator) ?? '', rest)
  })
}

function registerNetworkAndHashing(db: Database.Database): void {
  db.function('in_cidr_block', { deterministic: true }, (cidr: SqlValue, ip: SqlValue) => {
    if (typeof cidr !== 'string') {
      throw new Error('CIDR must be a string')
    }
    if (typeof ip !== 'string') {
      throw new Error('IP address must be a string')
    }
    return BigInt(inCidrBlock(cidr, ip))
  })
  for (const algorithm of ['md5', 'sha1', 'sha256']) {
    db.function(algorithm, { deterministic: true }, (value: SqlValue) => {
      const source = Buffer.isBuffer(value) ? value : text(value)
      return source === null ? null : createHash(algorithm).update(source).digest('hex')
    })
  }
  db.function('to_base64', { deterministic: true }, (value: SqlValue) => {
    const source = Buffer.isBuffer(value) ? value : text(value)
    return source === null ? null : Buffer.from(source).toString('base64')
  })
  db.function('from_base64', { deterministic: true }, (value: SqlValue) => {
    const source = text(value)
    return source === null ? null : Buffer.from(source, 'base64').toString('utf8')
  })
  db.function('conditional_to_base64', { deterministic: true }, (value: SqlValue) => {
    const source = text(value)
    if (source === null) {
      return null
    }
    // eslint-disable-next-line no-control-regex
    return /^[\x00-\x7f]*$/.test(source) ? source : Buffer.from(source).toString('base64')
  })
}

/** Registers osquery's SQL functions on a better-sqlite3 database. */
export function registerSqlFunctions(db: Database.Database): void {
  registerString(db)
  registerNetworkAndHashing(db)
}
