export * from './memory-pubsub.js'
export * from './pubsub.js'
export * from './redis-pubsub.js'
