import type { HostFs } from '../host-fs.js'
import { cols, type TableSpec } from '../table.js'
import { PID_NAMESPACE_COLUMN, namespaceFs } from './namespaces.js'

/** One /etc/passwd entry. */
export interface PasswdEntry {
  username: string
  uid: number
  gid: number
  description: string
  directory: string
  shell: string
}

/** One /etc/group entry. */
export interface GroupEntry {
  groupname: string
  gid: number
  members: string[]
}

const toSigned32 = (n: number): number => n | 0

/** The local accounts in /etc/passwd (malformed lines skipped). */
export function readPasswd(fs: HostFs): PasswdEntry[] {
  const entries: PasswdEntry[] = []
  for (const line of (fs.readText('/etc/passwd') ?? '').split('\n')) {
    const [username = '', , uid = '', gid = '', description = '', directory = '', shell = ''] =
      line.split(':')
    if (username === '' || username.startsWith('#') || !/^\d+$/.test(uid) || !/^\d+$/.test(gid)) {
      continue
    }
    entries.push({ username, uid: Number(uid), gid: Number(gid), description, directory, shell })
  }
  return entries
}

/** The local groups in /etc/group (malformed lines skipped). */
export function readGroups(fs: HostFs): GroupEntry[] {
  const entries: GroupEntry[] = []
  for (const line of (fs.readText('/etc/group') ?? '').split('\n')) {
    const [groupname = '', , gid = '', members = ''] = line.split(':')
    if (groupname === '' || groupname.startsWith('#') || !/^\d+$/.test(gid)) {
      continue
    }
    entries.push({ groupname, gid: Number(gid), members: members.split(',').filter(Boolean) })
  }
  return entries
}

/** users: local accounts from /etc/passwd (remote NSS/LDAP accounts are not listed). */
export const usersTable: TableSpec = {
  name: 'users',
  columns: cols(
    'uid:BIGINT gid:BIGINT uid_signed:BIGINT gid_signed:BIGINT username description directory ' +
      'shell uuid',
  ),
  foreign: ['type', 'is_hidden'],
  hidden: [...PID_NAMESPACE_COLUMN, 'include_remote'],
  *rows(context, args) {
    const fs = namespaceFs(context, args)
    for (const user of fs ? readPasswd(fs) : []) {
      yield {
        ...user,
        uid_signed: toSigned32(user.uid),
        gid_signed: toSigned32(user.gid),
        uuid: '',
      }
    }
  },
}

/** groups: local groups from /etc/group. */
export const groupsTable: TableSpec = {
  name: 'groups',
  columns: cols('gid:BIGINT gid_signed:BIGINT groupname'),
  hidden: PID_NAMESPACE_COLUMN,
  foreign: ['group_sid', 'comment', 'is_hidden'],
  *rows(context, args) {
    const fs = namespaceFs(context, args)
    for (const group of fs ? readGroups(fs) : []) {
      yield { gid: group.gid, gid_signed: toSigned32(group.gid), groupname: group.groupname }
    }
  },
}

/** user_groups: each user's primary group and the groups listing them as members. */
export const userGroupsTable: TableSpec = {
  name: 'user_groups',
  columns: cols('uid:BIGINT gid:BIGINT'),
  *rows({ fs }) {
    const groups = readGroups(fs)
    for (const user of readPasswd(fs)) {
      const gids = new Set([user.gid])
      for (const group of groups) {
        if (group.members.includes(user.username)) {
          gids.add(group.gid)
        }
      }
      for (const gid of gids) {
        yield { uid: user.uid, gid }
      }
    }
  },
}
