import { errorCodes } from 'fastify'
import type { IncomingHttpHeaders } from 'node:http'
import { Transform, type Readable } from 'node:stream'
import { AuthRequiredError } from '../../platform/errors/index.js'
import { NODE_KEY_EDGE_BYTES, nodeKeyAtEdges, scanNodeKey } from './node-key-scan.js'

/**
 * Bodies up to this size on the wire are read and parsed before authentication as always (every
 * check-in is tiny); larger ones, and bodies of unknown or encoded size, are "large": they take a
 * slot and, on node-key routes, pass through {@link nodeKeyGate}.
 */
export const LARGE_BODY_BYTES = 64 * 1024

/** Whether a request's body counts as large (see {@link LARGE_BODY_BYTES}). */
export function isLargeBody(headers: IncomingHttpHeaders): boolean {
  const length = Number(headers['content-length'])
  return (
    headers['content-encoding'] !== undefined ||
    !Number.isFinite(length) ||
    length > LARGE_BODY_BYTES
  )
}

/**
 * A counter of large bodies being read or handled at once on this instance. A request that finds
 * no free slot is refused with a 503 (osquery sends it again later) instead of queueing: a
 * queue would hold sockets and memory for the bodies it waits on.
 */
export class LargeBodySlots {
  #inUse = 0
  constructor(readonly max: number) {}

  /** A release function (idempotent), or undefined when every slot is taken. */
  tryAcquire(): (() => void) | undefined {
    if (this.#inUse >= this.max) {
      return undefined
    }
    this.#inUse++
    let released = false
    return () => {
      if (!released) {
        released = true
        this.#inUse--
      }
    }
  }
}

interface GateOptions {
  /** The route's body limit, applied to the bytes held. */
  limit: number
  /** Resolves when the node key is valid; rejects (with the refusal) when it is not. */
  authenticate(nodeKey: string): Promise<unknown>
  /** Called when a key at the head is refused before the rest of the body was read. */
  onEarlyRefusal(): void
}

/**
 * Holds a large body until its node key (found without parsing, see `node-key-scan.ts`) is
 * authenticated, then lets it through to the JSON parser; a wrong or missing key fails the
 * stream with the refusal, so the body is never parsed. A key at the head is checked as soon as
 * the head arrives and, when wrong, answered before the rest is read; osquery itself puts the
 * key last, so its bodies are held whole (within `limit`) and checked at the end.
 */
export function nodeKeyGate(source: Readable, options: GateOptions): Transform {
  let held: Buffer[] = []
  let heldBytes = 0
  let state: 'head' | 'holding' | 'open' = 'head'

  const release = (gate: Transform) => {
    for (const chunk of held) {
      gate.push(chunk)
    }
    held = []
  }

  const gate = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (state === 'open') {
        callback(null, chunk)
        return
      }
      held.push(chunk)
      heldBytes += chunk.length
      if (heldBytes > options.limit) {
        callback(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
        return
      }
      if (state !== 'head' || heldBytes < NODE_KEY_EDGE_BYTES) {
        callback()
        return
      }
      state = 'holding'
      const head = Buffer.concat(held).toString('utf8', 0, NODE_KEY_EDGE_BYTES)
      const key = nodeKeyAtEdges(head, '')
      if (key === undefined) {
        callback()
        return
      }
      options.authenticate(key).then(
        () => {
          state = 'open'
          release(gate)
          callback()
        },
        (err: unknown) => {
          options.onEarlyRefusal()
          callback(err instanceof Error ? err : new Error(String(err)))
        },
      )
    },
    flush(callback) {
      if (state === 'open') {
        callback()
        return
      }
      const body = Buffer.concat(held)
      const head = body.toString('utf8', 0, NODE_KEY_EDGE_BYTES)
      const tail = body.toString('utf8', Math.max(0, body.length - NODE_KEY_EDGE_BYTES))
      const key = nodeKeyAtEdges(head, tail) ?? scanNodeKey(body)
      if (key === undefined) {
        callback(new AuthRequiredError('authentication error: missing node key'))
        return
      }
      options.authenticate(key).then(
        () => {
          held = [body]
          release(gate)
          callback()
        },
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      )
    },
  })
  // fastify checks the body limit on the encoded length too (see the decoding in osquery.routes.ts).
  Object.defineProperty(gate, 'receivedEncodedLength', {
    get: () => Reflect.get(source, 'receivedEncodedLength'),
  })
  // fastify stops listening once it has refused the request (say, for its declared length): a
  // refusal found later has nobody to tell, and must not become an uncaught error.
  gate.on('error', () => undefined)
  // pipe() forwards no errors: an undecodable (gzip) body must still fail the request.
  source.once('error', (err) => gate.destroy(err))
  return source.pipe(gate)
}
