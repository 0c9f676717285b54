export { mdmAbmModule } from './mdm-abm.module.js'
export { abmRules } from './mdm-abm.rules.js'
