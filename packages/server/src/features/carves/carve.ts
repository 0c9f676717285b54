export interface Carve {
  id: number
  createdAt: number
  hostId: number
  name: string
  blockCount: number
  blockSize: number
  carveSize: number
  carveId: string
  requestId: string
  sessionId: string
  maxBlock: number
  error: string | null
}

/** Carve contents are kept 24 hours, as in Fleet. */
export const CARVE_TTL_MS = 24 * 3_600_000

/** The largest block the server stores (base64 makes the request a third bigger). */
export const MAX_BLOCK_BYTES = 8_000_000

/** The largest carve accepted. */
export const MAX_CARVE_BYTES = 8 * 1024 ** 3

export function isExpired(carve: Pick<Carve, 'createdAt'>, now: number): boolean {
  return now - carve.createdAt > CARVE_TTL_MS
}

/** Fleet's carve name: `<hostname>-<RFC 3339 time>-<request id>`. */
export function carveName(hostname: string, createdAt: number, requestId: string): string {
  return `${hostname}-${new Date(createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z')}-${requestId}`.slice(
    0,
    255,
  )
}

/** Why a carve/begin request can't be honoured, or undefined. */
export function beginProblem(request: {
  blockCount: number
  blockSize: number
  carveSize: number
}): string | undefined {
  if (request.blockSize > MAX_BLOCK_BYTES) {
    return `block_size is larger than ${MAX_BLOCK_BYTES} bytes`
  }
  if (request.carveSize > MAX_CARVE_BYTES) {
    return `carve_size is larger than ${MAX_CARVE_BYTES} bytes`
  }
  if (request.blockCount * request.blockSize < request.carveSize) {
    return 'block_count × block_size is smaller than carve_size'
  }
  if ((request.blockCount - 1) * request.blockSize >= Math.max(request.carveSize, 1)) {
    return 'block_count is larger than carve_size needs'
  }
  return undefined
}
