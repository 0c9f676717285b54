// Obeys package-client: the client may import the api.
import { api } from '@fleet/api'

export const client = api
