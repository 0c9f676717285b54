/** The outcome of waking one enrollment through APNs. */
export type PushResult =
  | { enrollmentId: string; outcome: 'sent'; apnsId: string }
  /** APNs refused (status and Apple's reason, e.g. 410 Unregistered) or the connection failed. */
  | { enrollmentId: string; outcome: 'failed'; status: number | undefined; reason: string }
  /** Not attempted: unknown, disabled (before TokenUpdate, after CheckOut) or without a token. */
  | { enrollmentId: string; outcome: 'skipped'; reason: string }

/** Wakes enrollments so they check in and drain their queue. */
export interface Pusher {
  /** One push per distinct enrollment; never throws for a failed push (see the results). */
  push(enrollmentIds: readonly string[]): Promise<PushResult[]>
}

/** The APNs (MDM push) certificate of one topic, as the MDM set-up keeps it. */
export interface PushCertificate {
  topic: string
  certPem: string
  /** Decrypted private key (PEM); never logged. */
  keyPem: string
  /**
   * Changes whenever the certificate or key is replaced (e.g. its upload time or a hash): the
   * pusher drops connections made with another version.
   */
  version: string
}

/** Where the pusher gets push certificates (the MDM set-up feature provides the real one). */
export interface PushCertificateSource {
  /** The certificate for `topic`, or undefined when none is configured for it. */
  pushCertificate(topic: string): Promise<PushCertificate | undefined>
}
