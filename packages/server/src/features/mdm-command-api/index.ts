export { mdmCommandApiModule } from './mdm-command-api.module.js'
export { mdmCommandRules } from './mdm-command-api.rules.js'
export { RUN_COMMAND_ERRORS } from './run-command.js'
