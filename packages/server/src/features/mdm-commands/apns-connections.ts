import { connect, type ClientHttp2Session } from 'node:http2'
import type { PushCertificate } from './push.js'

/** An idle connection to APNs is closed after this long (Apple keeps them open for hours). */
const IDLE_CLOSE_MS = 10 * 60_000

interface Cached {
  session: ClientHttp2Session
  version: string
}

/** HTTP/2 connections to APNs, one per push topic, made with that topic's push certificate. */
export interface ApnsConnections {
  /** A live connection for `cert`'s topic; a new one when the certificate's version changed. */
  sessionFor(cert: PushCertificate): ClientHttp2Session
  /** Drops a topic's connection (after a connection-level failure). */
  drop(topic: string): void
  closeAll(): Promise<void>
}

export interface ApnsConnectionOptions {
  /** `https://api.push.apple.com` (production) or a test server. */
  baseUrl: string
  /** Extra trusted CA (PEM) for a test APNs; production uses the system's CAs. */
  ca?: string | undefined
}

function close(session: ClientHttp2Session): Promise<void> {
  if (session.closed || session.destroyed) {
    return Promise.resolve()
  }
  return new Promise((resolve) => session.close(() => resolve()))
}

export function createApnsConnections(options: ApnsConnectionOptions): ApnsConnections {
  const byTopic = new Map<string, Cached>()

  function open(cert: PushCertificate): ClientHttp2Session {
    const session = connect(options.baseUrl, {
      cert: cert.certPem,
      key: cert.keyPem,
      ...(options.ca ? { ca: options.ca } : {}),
    })
    // A failed handshake or a reset connection also fails the requests on it, which report it;
    // without a listener the error would crash the process.
    session.on('error', () => forget(cert.topic, session))
    session.on('goaway', () => forget(cert.topic, session))
    session.on('close', () => forget(cert.topic, session))
    session.setTimeout(IDLE_CLOSE_MS, () => void close(session))
    session.unref()
    return session
  }

  function forget(topic: string, session: ClientHttp2Session): void {
    if (byTopic.get(topic)?.session === session) {
      byTopic.delete(topic)
    }
  }

  return {
    sessionFor(cert) {
      const cached = byTopic.get(cert.topic)
      if (cached && cached.version === cert.version && !cached.session.closed) {
        return cached.session
      }
      if (cached) {
        void close(cached.session) // the certificate changed: its requests finish, then it goes
      }
      const session = open(cert)
      byTopic.set(cert.topic, { session, version: cert.version })
      return session
    },
    drop(topic) {
      const cached = byTopic.get(topic)
      byTopic.delete(topic)
      if (cached) {
        cached.session.destroy()
      }
    },
    async closeAll() {
      const sessions = [...byTopic.values()].map((c) => c.session)
      byTopic.clear()
      await Promise.all(sessions.map(close))
    },
  }
}
