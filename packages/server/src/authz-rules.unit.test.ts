import { describe, expect, it } from 'vitest'
import { AUTHZ_RULES } from './authz-rules.js'
import { cronRules } from './cron/index.js'
import { activityRules } from './features/activities/index.js'
import { appConfigRules } from './features/app-config/index.js'
import { carveRules } from './features/carves/index.js'
import { enrollSecretRules } from './features/enroll-secrets/index.js'
import { hostRules } from './features/hosts/index.js'
import { labelRules } from './features/labels/index.js'
import { liveQueryRules } from './features/live-queries/index.js'
import { abmRules } from './features/mdm-abm/index.js'
import { mdmCommandRules } from './features/mdm-command-api/index.js'
import { mdmEnrollmentRules } from './features/mdm-enrollment/index.js'
import { mdmProfileRules } from './features/mdm-profiles/index.js'
import { mdmSetupRules } from './features/mdm-setup/index.js'
import { secretVariableRules } from './features/secret-variables/index.js'
import { packRules } from './features/packs/index.js'
import { policyRules } from './features/policies/index.js'
import { queryRules } from './features/queries/index.js'
import { sessionRules } from './features/sessions/index.js'
import { teamRules } from './features/teams/index.js'
import { userRules } from './features/users/index.js'

describe('AUTHZ_RULES', () => {
  it('takes each resource type from exactly one feature (a spread would hide a second one)', () => {
    const sets = [
      abmRules,
      activityRules,
      appConfigRules,
      carveRules,
      cronRules,
      enrollSecretRules,
      hostRules,
      labelRules,
      liveQueryRules,
      mdmCommandRules,
      mdmEnrollmentRules,
      mdmProfileRules,
      mdmSetupRules,
      packRules,
      policyRules,
      queryRules,
      secretVariableRules,
      sessionRules,
      teamRules,
      userRules,
    ]
    const declared = sets.flatMap((set) => Object.keys(set)).sort()
    expect(declared).toEqual([...new Set(declared)])
    expect(Object.keys(AUTHZ_RULES).sort()).toEqual(declared)
  })
})
