// Breaks package-not-in-table: a package must join the table before it imports ours.
import { api } from '@fleet/api'

export const extra = api
