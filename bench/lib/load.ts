import autocannon from 'autocannon'

export interface LoadResult {
  rps: number
  p50: number
  p99: number
  errors: number
  non2xx: number
  total: number
}

/** Drives POST requests (cycling through `bodies`) over keep-alive connections for `seconds`. */
export async function postLoad(
  url: string,
  bodies: readonly string[],
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    requests: bodies.map((body) => ({
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    })),
  })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    total: result.requests.total,
  }
}
