import type { Generated } from 'kysely'

/** An Apple device that checked in over MDM, and the identity certificate it is bound to. */
export interface MdmAppleDevicesTable {
  /** UDID, or EnrollmentID for a User Enrollment. */
  id: string
  serial_number: Generated<string>
  product_name: Generated<string>
  model: Generated<string>
  os_version: Generated<string>
  device_name: Generated<string>
  /** Hex SHA-256 of the DER identity (SCEP) certificate: nanomdm's cert-auth association. */
  cert_sha256: string
  /** Base64, as the device sent it in SetBootstrapToken. */
  bootstrap_token: string | null
  awaiting_configuration: Generated<number>
  /** The host this device is (same hardware UUID, else serial). */
  host_id: number | null
  /** First TokenUpdate: the moment Fleet calls "enrolled". */
  enrolled_at: number | null
  checked_out_at: number | null
  created_at: number
  updated_at: number
}
