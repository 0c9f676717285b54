import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import { transactionWithRetry } from '../../platform/db/index.js'
import { InvalidArgumentError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import type { SecretBox } from '../../platform/secret-box.js'
import { expandSecretReferences, SECRET_PREFIX, secretProblem } from './secret-variable.js'
import * as store from './secret-variables.store.js'

/** Told, inside the write's transaction, which secrets changed value (names without prefix). */
export type SecretsChangedListener = (
  db: Db,
  names: readonly string[],
  now: number,
) => Promise<void>

export interface SecretsDeps {
  deps: Pick<Deps, 'db' | 'clock'>
  /** Undefined without `server.private_key`: secrets cannot be stored then. */
  box: SecretBox | undefined
  listeners: SecretsChangedListener[]
}

/** Sealed under its name, so a value copied to another name does not open. */
const associated = (name: string) => `secret_variable:${name}`

/**
 * Fleet's `PUT /spec/secret_variables`: validates every secret, then (unless `dryRun`) stores
 * the ones whose value changed, sealed, and tells the listeners (profiles move their
 * `secrets_updated_at`, hence their tokens, hence devices resync). Values are never logged.
 */
export async function applySecrets(
  s: SecretsDeps,
  ctx: RequestCtx,
  input: { secrets: readonly { name: string; value: string }[]; dryRun: boolean },
): Promise<void> {
  authorize(ctx.authz, { type: 'secret_variable' }, 'write')
  for (const secret of input.secrets) {
    const problem = secretProblem(secret.name, secret.value)
    if (problem) {
      throw InvalidArgumentError.field('secrets', problem)
    }
  }
  const box = s.box
  if (!box) {
    throw InvalidArgumentError.field(
      'secrets',
      'secret variables need the server private key (server.private_key) to be stored encrypted',
    )
  }
  if (input.dryRun) {
    return
  }
  const latest = new Map(input.secrets.map((x) => [x.name.slice(SECRET_PREFIX.length), x.value]))
  const now = s.deps.clock.now().getTime()
  const changed = await transactionWithRetry(s.deps.db, async (trx) => {
    const stored = await store.findSealed(trx, [...latest.keys()])
    const changes = [...latest].filter(([name, value]) => {
      const before = stored.get(name)
      return before === undefined || openOrUndefined(box, before, name) !== value
    })
    await store.saveSealed(
      trx,
      changes.map(([name, value]) => ({
        name,
        sealed: box.seal(Buffer.from(value, 'utf8'), associated(name)),
      })),
      now,
    )
    const names = changes.map(([name]) => name)
    if (names.length > 0) {
      for (const listener of s.listeners) {
        await listener(trx, names, now)
      }
    }
    return names
  })
  ctx.log.info({ count: input.secrets.length, changed }, 'secret variables applied')
}

function openOrUndefined(box: SecretBox, sealed: string, name: string): string | undefined {
  try {
    return box.open(sealed, associated(name)).toString('utf8')
  } catch {
    return undefined // sealed with another key: replaced
  }
}

/** The names (without prefix) among `names` that are not stored. */
export async function missingSecrets(db: Db, names: readonly string[]): Promise<string[]> {
  const stored = await store.findSealed(db, names)
  return names.filter((n) => !stored.has(n))
}

/** `text` with every `$FLEET_SECRET_*` it references replaced by the stored value. */
export async function expandSecrets(
  s: SecretsDeps,
  text: string,
  names: string[],
): Promise<string> {
  const box = s.box
  if (names.length === 0 || !box) {
    return text
  }
  const values = new Map<string, string>()
  for (const [name, sealed] of await store.findSealed(s.deps.db, names)) {
    const value = openOrUndefined(box, sealed, name)
    if (value !== undefined) {
      values.set(name, value)
    }
  }
  return expandSecretReferences(text, values)
}
