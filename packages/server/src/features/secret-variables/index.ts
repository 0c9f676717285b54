export {
  SECRET_VARIABLES,
  secretVariablesModule,
  type SecretVariables,
} from './secret-variables.module.js'
export { secretVariableRules } from './secret-variables.rules.js'
export { referencedSecrets } from './secret-variable.js'
