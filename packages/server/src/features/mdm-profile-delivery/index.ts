export { mdmProfileDeliveryModule } from './mdm-profile-delivery.module.js'
