export * from './authorizer.js'
export * from './policy.js'
export * from './subject.js'
