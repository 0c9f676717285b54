export { APPLE_MDM, mdmSetupModule, type AppleMdm } from './mdm-setup.module.js'
export { mdmSetupRules } from './mdm-setup.rules.js'
export type { AppleMdmAssets, PushCertificate, ScepCa } from './apple-mdm-assets.js'
export { missingPrivateKeyMessage } from './apple-mdm-assets.js'
