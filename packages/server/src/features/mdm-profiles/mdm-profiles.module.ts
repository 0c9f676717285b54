import type { FeatureModule } from '../../modules/index.js'
import { SECRET_VARIABLES } from '../secret-variables/index.js'
import { TEAM_DELETION } from '../teams/index.js'
import { registerProfileRoutes } from './mdm-profiles.routes.js'
import { deleteTeamProfiles, touchDeclarationSecrets } from './mdm-profiles.store.js'

/** Apple configuration profiles and DDM declarations: storage, validation, label scoping. */
export const mdmProfilesModule: FeatureModule = {
  name: 'mdm-profiles',
  build: ({ deps, use }) => {
    // team_id is no foreign key (0 = "No team"): a deleted team's profiles go with it.
    use(TEAM_DELETION).register(async (trx, teamId) => {
      await deleteTeamProfiles(trx, teamId)
    })
    const secrets = use(SECRET_VARIABLES)
    // A secret's new value moves the ServerToken of the declarations using it: hosts resync.
    secrets.onChange(async (db, names, now) => {
      await touchDeclarationSecrets(db, names, now)
    })
    return { routes: (r) => registerProfileRoutes(r, { deps, secrets }) }
  },
}
