/** Per host, the last ProfileList command sent to verify its installed profiles. */
export interface HostMdmAppleProfileChecksTable {
  host_uuid: string
  command_uuid: string
  requested_at: number
}
