// Obeys migrations-index-imports-only-migrations (it lists the migrations beside it), and breaks
// it through platform/db.ts.
import * as init from './20260101000000_init.js'
import { TIMESTAMP_TYPE } from '../../platform/db.js'

export const MIGRATIONS = { '20260101000000_init': init, TIMESTAMP_TYPE }
