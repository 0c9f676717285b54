// Breaks cross-package-via-entry-point: another package's files are reached by its name only.
import { leaked } from '../../api/src/imports-server.js'

export const deep = leaked
