export { findUser } from './users.store.js'
