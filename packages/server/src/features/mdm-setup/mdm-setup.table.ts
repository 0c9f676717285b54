export interface MdmConfigAssetsTable {
  /** One of `MdmAssetName`. */
  name: string
  /** Sealed with the server's private key (`platform/secret-box.ts`), never plain. */
  value: string
  created_at: number
  updated_at: number
}
