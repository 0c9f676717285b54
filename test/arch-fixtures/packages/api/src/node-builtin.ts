// Breaks api-no-node-builtins.
import { randomUUID } from 'node:crypto'

export const id = randomUUID()
