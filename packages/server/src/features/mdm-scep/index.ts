export { mdmScepModule } from './mdm-scep.module.js'
export { SCEP_PATH } from './mdm-scep.routes.js'
export { findIssuedCertificate } from './mdm-scep.store.js'
export { verifyMdmSignature, type DeviceIdentity } from './mdm-signature.js'
