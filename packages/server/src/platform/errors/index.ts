export * from './errors.js'
export * from './zod-details.js'
export * from './dependency-down.js'
