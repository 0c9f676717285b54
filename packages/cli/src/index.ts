export { main } from './main.js'
export { run } from './run.js'
export type { Io, Prompter, Writer } from './io.js'
