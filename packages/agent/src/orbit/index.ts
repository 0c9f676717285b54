export { runCommand } from './run-command.js'
export { runOrbit, type OrbitOptions } from './orbit.js'
export { desktopCommand } from './desktop-command.js'
