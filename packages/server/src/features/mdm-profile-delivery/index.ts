export { mdmProfileDeliveryModule } from './mdm-profile-delivery.module.js'
export { humanDuration, pendingTimeoutDetail, verifyingTimeoutDetail } from './delivery.js'
