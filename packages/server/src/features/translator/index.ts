export { translatorModule } from './translator.module.js'
