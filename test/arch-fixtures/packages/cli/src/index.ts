// Obeys package-cli: fleetctl may import the api and the client.
import { api } from '@fleet/api'
import { client } from '@fleet/client'

export const cli = `${api} ${client}`
