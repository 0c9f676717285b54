export * from './create-db.js'
export * from './dialect.js'
export * from './retry.js'
export * from './chunks.js'
