export * from './errors.js'
export * from './zod-details.js'
