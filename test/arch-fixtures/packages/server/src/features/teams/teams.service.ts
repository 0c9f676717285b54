// Obeys feature-via-index through users/index.ts, and breaks it through users/users.store.ts.
import { findUser } from '../users/index.js'
import { findUser as findUserRow } from '../users/users.store.js'

export function addMember(userId: number): boolean {
  return findUser(userId).id === findUserRow(userId).id
}
