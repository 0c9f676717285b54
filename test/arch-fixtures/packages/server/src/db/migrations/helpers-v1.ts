// Obeys migrations-import-only-frozen-helpers: a frozen helper file imports only kysely.
import type { Kysely } from 'kysely'

export type AnyDb = Kysely<unknown>
