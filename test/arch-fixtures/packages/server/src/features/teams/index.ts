export { addMember } from './teams.service.js'
