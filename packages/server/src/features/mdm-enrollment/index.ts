export { mdmEnrollmentModule } from './mdm-enrollment.module.js'
export { mdmEnrollmentRules } from './mdm-enrollment.rules.js'
export { ENROLL_PATH } from './mdm-enrollment.routes.js'
export { FLEET_PAYLOAD_IDENTIFIER, MDM_PATH } from './enrollment-profile.js'
