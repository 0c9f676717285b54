export interface MdmScepCertificatesTable {
  serial: string
  sha256: string
  common_name: string
  not_valid_before: number
  not_valid_after: number
  certificate_pem: string
  created_at: number
  revoked: number
}
