export { mdmDdmModule } from './mdm-ddm.module.js'
export { declarationsToken, syncTokens } from './ddm-tokens.js'
