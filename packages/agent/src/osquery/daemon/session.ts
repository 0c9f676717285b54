import type { NodeKeys } from './enroll.js'
import type { Flags } from './flags.js'
import { OSQUERY_COMPAT_VERSION } from '../../version.js'
import {
  createRemoteClient,
  errorText,
  postWithAttempts,
  type RemoteClient,
  type RemoteResult,
} from '../../transport/remote-client.js'
import type { DaemonLog } from './status-log.js'

function readPem(
  flags: Flags,
  name: string,
  readText: (path: string) => string,
): string | undefined {
  const path = flags.get(name)
  if (!path) {
    return undefined
  }
  try {
    return readText(path)
  } catch (err) {
    throw new Error(`cannot read --${name} ${path}: ${errorText(err)}`, { cause: err })
  }
}

/**
 * The HTTPS client the --tls_* flags describe (CA bundle, client certificate, fleetd's
 * --tls_insecure); an unreadable certificate file fails start-up.
 */
export function clientFromFlags(
  flags: Flags,
  readText: (path: string) => string,
  /** Where --tls_dump lines go: stderr only, never the status log (that would feed itself). */
  dump: (text: string) => void,
): RemoteClient {
  return createRemoteClient({
    hostname: flags.get('tls_hostname'),
    ca: readPem(flags, 'tls_server_certs', readText),
    clientCert: readPem(flags, 'tls_client_cert', readText),
    clientKey: readPem(flags, 'tls_client_key', readText),
    insecure: flags.bool('tls_insecure'),
    userAgent: `osquery/${OSQUERY_COMPAT_VERSION}`,
    onDump: flags.bool('tls_dump') ? (line) => dump(`osqueryd tls: ${line}\n`) : undefined,
  })
}

/** Replaces every occurrence of a secret in server text before it is logged or returned. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret) {
      out = out.split(secret).join('<redacted>')
    }
  }
  return out
}

/**
 * Node-key-authenticated calls, as osquery's TLS plugins make them: `node_key` in the JSON body;
 * on `node_invalid` the key is dropped and the call is made once more with a fresh enrollment
 * (unless --disable_reenrollment). Error text never carries the node key (Fleet echoes it).
 */
export class TlsSession {
  constructor(
    private readonly client: RemoteClient,
    private readonly nodeKeys: NodeKeys,
    private readonly flags: Flags,
    private readonly log: DaemonLog,
  ) {}

  /** POSTs `body` plus `node_key` to `path`, up to `attempts` tries while failures are retryable. */
  async post(
    path: string,
    body: Record<string, unknown>,
    attempts: number,
    options: { compress?: boolean; signal?: AbortSignal } = {},
  ): Promise<RemoteResult> {
    let result: RemoteResult = { kind: 'error', error: 'no node key', retryable: true }
    for (let round = 0; round < 2; round++) {
      const key = await this.nodeKeys.get()
      if (key === undefined) {
        return { kind: 'error', error: 'no node key (enrollment failed)', retryable: true }
      }
      result = await postWithAttempts(
        this.client,
        path,
        { ...body, node_key: key },
        attempts,
        options,
      )
      if (result.kind === 'error') {
        return { ...result, error: redact(result.error, [key]) }
      }
      if (result.kind !== 'node-invalid') {
        return result
      }
      this.log.info(`Server reported the node key invalid on ${path}; enrolling again`)
      this.nodeKeys.invalidate(key)
      result = { kind: 'node-invalid', error: redact(result.error, [key]) }
      if (this.flags.bool('disable_reenrollment')) {
        return result
      }
    }
    return result
  }
}
