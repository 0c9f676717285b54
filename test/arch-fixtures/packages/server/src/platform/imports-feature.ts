// Breaks platform-not-to-features.
import { findUser } from '../features/users/index.js'

export const platformLookup = findUser
