// Breaks not-to-unresolvable: a typo in a package name must not slip past every rule.
import { api } from '@fleet/apii'

export const typo = api
