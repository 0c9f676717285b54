export * from './authorizer.js'
export * from './resources.js'
export * from './subject.js'
