export { setupModule } from './setup.module.js'
