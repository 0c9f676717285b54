import { api } from '@fleet/api'

export const server = api
