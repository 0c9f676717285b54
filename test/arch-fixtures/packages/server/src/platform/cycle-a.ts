// Breaks no-circular with cycle-b.ts (type-only imports count too).
import type { B } from './cycle-b.js'

export interface A {
  b?: B
}
