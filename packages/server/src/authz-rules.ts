import { cronRules } from './cron/index.js'
import { activityRules } from './features/activities/index.js'
import { appConfigRules } from './features/app-config/index.js'
import { carveRules } from './features/carves/index.js'
import { enrollSecretRules } from './features/enroll-secrets/index.js'
import { hostRules } from './features/hosts/index.js'
import { labelRules } from './features/labels/index.js'
import { liveQueryRules } from './features/live-queries/index.js'
import { mdmCommandRules } from './features/mdm-command-api/index.js'
import { mdmEnrollmentRules } from './features/mdm-enrollment/index.js'
import { mdmProfileRules } from './features/mdm-profiles/index.js'
import { secretVariableRules } from './features/secret-variables/index.js'
import { mdmSetupRules } from './features/mdm-setup/index.js'
import { abmRules } from './features/mdm-abm/index.js'
import { packRules } from './features/packs/index.js'
import { policyRules } from './features/policies/index.js'
import { queryRules } from './features/queries/index.js'
import { sessionRules } from './features/sessions/index.js'
import { teamRules } from './features/teams/index.js'
import { userRules } from './features/users/index.js'
import type { RuleBook } from './platform/authz/index.js'

/**
 * Every feature's authorization rules (Fleet's permission matrix), composed into the one rule book
 * the server's authorizer decides with. Typed `RuleBook`, so a resource type a feature declares
 * without its rule set listed here fails to compile.
 */
export const AUTHZ_RULES: RuleBook = {
  ...activityRules,
  ...appConfigRules,
  ...carveRules,
  ...cronRules,
  ...enrollSecretRules,
  ...hostRules,
  ...labelRules,
  ...liveQueryRules,
  ...mdmCommandRules,
  ...mdmEnrollmentRules,
  ...mdmProfileRules,
  ...mdmSetupRules,
  ...abmRules,
  ...secretVariableRules,
  ...packRules,
  ...policyRules,
  ...queryRules,
  ...sessionRules,
  ...teamRules,
  ...userRules,
}
