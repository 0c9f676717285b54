import type { HostFs } from '../host-fs.js'
import { cols, type TableRow, type TableSpec } from '../table.js'
import { listPids } from './processes.js'
import { hexToIpv4, hexWordsToIpv6 } from './net-format.js'

const AF_UNIX = 1
const AF_INET = 2
const AF_INET6 = 10
const IPPROTO_TCP = 6
const IPPROTO_UDP = 17
const SO_ACCEPTCON = 0x10000

const TCP_STATES = [
  '',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
]

/** A socket from /proc/net, before it is matched to the process holding it. */
export interface NetSocket {
  family: number
  protocol: number
  localAddress: string
  localPort: number
  remoteAddress: string
  remotePort: number
  state: string
  inode: string
  path: string
}

function endpoint(text: string, family: number): [string, number] {
  const [hex = '', port = '0'] = text.split(':')
  return [family === AF_INET ? hexToIpv4(hex) : hexWordsToIpv6(hex), Number.parseInt(port, 16)]
}

/** Sockets of one /proc/net/{tcp,tcp6,udp,udp6} file. */
export function parseInetSockets(text: string, family: number, protocol: number): NetSocket[] {
  const sockets: NetSocket[] = []
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    const [, local, remote, state] = fields
    const inode = fields[9]
    if (!local || !remote || !state || inode === undefined) {
      continue
    }
    const [localAddress, localPort] = endpoint(local, family)
    const [remoteAddress, remotePort] = endpoint(remote, family)
    const code = Number.parseInt(state, 16)
    sockets.push({
      family,
      protocol,
      localAddress,
      localPort,
      remoteAddress,
      remotePort,
      state: protocol === IPPROTO_TCP ? (TCP_STATES[code] ?? '') : '',
      inode,
      path: '',
    })
  }
  return sockets
}

/** Sockets of /proc/net/unix; listening ones (SO_ACCEPTCON) get state LISTEN. */
export function parseUnixSockets(text: string): NetSocket[] {
  const sockets: NetSocket[] = []
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    const [, , , flags, , , inode, path = ''] = fields
    if (flags === undefined || inode === undefined) {
      continue
    }
    sockets.push({
      family: AF_UNIX,
      protocol: 0,
      localAddress: '',
      localPort: 0,
      remoteAddress: '',
      remotePort: 0,
      state: Number.parseInt(flags, 16) & SO_ACCEPTCON ? 'LISTEN' : '',
      inode,
      path,
    })
  }
  return sockets
}

/** Every socket of the current network namespace. */
export function readSockets(fs: HostFs): NetSocket[] {
  const inet = (file: string, family: number, protocol: number): NetSocket[] =>
    parseInetSockets(fs.readText(`/proc/net/${file}`) ?? '', family, protocol)
  return [
    ...inet('tcp', AF_INET, IPPROTO_TCP),
    ...inet('tcp6', AF_INET6, IPPROTO_TCP),
    ...inet('udp', AF_INET, IPPROTO_UDP),
    ...inet('udp6', AF_INET6, IPPROTO_UDP),
    ...parseUnixSockets(fs.readText('/proc/net/unix') ?? ''),
  ]
}

interface SocketOwner {
  pid: string
  fd: string
}

/** Socket inode → the first process and descriptor holding it (from /proc/<pid>/fd links). */
export function socketOwners(fs: HostFs): Map<string, SocketOwner> {
  const owners = new Map<string, SocketOwner>()
  for (const pid of listPids(fs)) {
    for (const fd of fs.list(`/proc/${pid}/fd`)) {
      const inode = fs.readLink(`/proc/${pid}/fd/${fd}`)?.match(/^socket:\[(\d+)\]$/)?.[1]
      if (inode !== undefined && !owners.has(inode)) {
        owners.set(inode, { pid, fd })
      }
    }
  }
  return owners
}

function netNamespace(fs: HostFs, pid: string): string {
  return fs.readLink(`/proc/${pid}/ns/net`)?.match(/\[(\d+)\]/)?.[1] ?? ''
}

function isListening(socket: NetSocket): boolean {
  if (socket.family === AF_UNIX) {
    return socket.state === 'LISTEN' && socket.path !== ''
  }
  if (socket.protocol === IPPROTO_TCP) {
    return socket.state === 'LISTEN'
  }
  return socket.remotePort === 0
}

/** listening_ports: TCP sockets in LISTEN, unconnected UDP sockets, listening UNIX sockets. */
export const listeningPortsTable: TableSpec = {
  name: 'listening_ports',
  columns: cols(
    'pid:INTEGER port:INTEGER protocol:INTEGER family:INTEGER address fd:BIGINT socket:BIGINT ' +
      'path net_namespace',
  ),
  *rows({ fs }) {
    const owners = socketOwners(fs)
    for (const socket of readSockets(fs).filter(isListening)) {
      const owner = owners.get(socket.inode)
      const row: TableRow = {
        pid: owner?.pid ?? -1,
        port: socket.localPort,
        protocol: socket.protocol,
        family: socket.family,
        address: socket.localAddress,
        fd: owner?.fd ?? -1,
        socket: socket.inode,
        path: socket.path,
        net_namespace: netNamespace(fs, owner?.pid ?? 'self'),
      }
      yield row
    }
  },
}

/** process_open_sockets: the sockets held by processes, with their endpoints and TCP state. */
export const processOpenSocketsTable: TableSpec = {
  name: 'process_open_sockets',
  columns: cols(
    'pid:INTEGER fd:BIGINT socket:BIGINT family:INTEGER protocol:INTEGER local_address ' +
      'remote_address local_port:INTEGER remote_port:INTEGER path state net_namespace',
  ),
  *rows({ fs }) {
    const owners = socketOwners(fs)
    for (const socket of readSockets(fs)) {
      const owner = owners.get(socket.inode)
      if (!owner) {
        continue
      }
      yield {
        pid: owner.pid,
        fd: owner.fd,
        socket: socket.inode,
        family: socket.family,
        protocol: socket.protocol,
        local_address: socket.localAddress,
        remote_address: socket.remoteAddress,
        local_port: socket.localPort,
        remote_port: socket.remotePort,
        path: socket.path,
        state: socket.state,
        net_namespace: netNamespace(fs, owner.pid),
      }
    }
  },
}
