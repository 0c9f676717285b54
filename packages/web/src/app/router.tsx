import { createBrowserRouter, Navigate, useRouteError, type RouteObject } from 'react-router'
import { ErrorNotice } from '../components/ui.js'
import { RequireAuth } from './auth.js'
import { Layout } from './Layout.js'

/** A page that threw while rendering: say so instead of a blank screen. */
function RouteError() {
  return (
    <main style={{ padding: '1.25rem' }}>
      <ErrorNotice error={useRouteError()} />
    </main>
  )
}

/** Each page is its own chunk, loaded when first visited. */
const page = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) => ({
  lazy: async () => ({ Component: (await load())[name] }),
})

/** The console's pages at Fleet's URLs. */
export const routes: RouteObject[] = [
  { path: '/setup', ...page(() => import('../pages/SetupPage.js'), 'SetupPage') },
  { path: '/login', ...page(() => import('../pages/LoginPage.js'), 'LoginPage') },
  {
    path: '/device/:token',
    errorElement: <RouteError />,
    ...page(() => import('../pages/device/DevicePage.js'), 'DevicePage'),
  },
  {
    element: (
      <RequireAuth>
        <Layout />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/dashboard" replace /> },
      {
        path: '/dashboard',
        ...page(() => import('../pages/dashboard/DashboardPage.js'), 'DashboardPage'),
      },
      {
        path: '/hosts/manage',
        ...page(() => import('../pages/hosts/ManageHostsPage.js'), 'ManageHostsPage'),
      },
      {
        path: '/hosts/:id',
        ...page(() => import('../pages/hosts/HostDetailsPage.js'), 'HostDetailsPage'),
      },
      {
        path: '/policies/manage',
        ...page(() => import('../pages/policies/ManagePoliciesPage.js'), 'ManagePoliciesPage'),
      },
      {
        path: '/queries/new/live',
        ...page(() => import('../pages/live/LiveQueryPage.js'), 'LiveQueryPage'),
      },
      {
        path: '/queries/:id/live',
        ...page(() => import('../pages/live/LiveQueryPage.js'), 'LiveQueryPage'),
      },
      {
        path: '/settings/organization',
        ...page(() => import('../pages/settings/OrgSettingsPage.js'), 'OrgSettingsPage'),
      },
      {
        path: '/settings/organization/agents',
        ...page(() => import('../pages/settings/AgentOptionsPage.js'), 'AgentOptionsPage'),
      },
      {
        path: '/settings/teams/:teamId/options',
        ...page(() => import('../pages/settings/AgentOptionsPage.js'), 'AgentOptionsPage'),
      },
      {
        path: '/activity',
        ...page(() => import('../pages/activity/ActivityPage.js'), 'ActivityPage'),
      },
      {
        path: '/policies/:id',
        ...page(() => import('../pages/policies/EditPolicyPage.js'), 'EditPolicyPage'),
      },
      {
        path: '/labels/manage',
        ...page(() => import('../pages/labels/ManageLabelsPage.js'), 'ManageLabelsPage'),
      },
      { path: '/labels/new', element: <Navigate to="/labels/new/dynamic" replace /> },
      {
        path: '/labels/new/dynamic',
        ...page(() => import('../pages/labels/NewLabelPage.js'), 'NewDynamicLabelPage'),
      },
      {
        path: '/labels/new/manual',
        ...page(() => import('../pages/labels/NewLabelPage.js'), 'NewManualLabelPage'),
      },
      {
        path: '/labels/:id',
        ...page(() => import('../pages/labels/EditLabelPage.js'), 'EditLabelPage'),
      },
      {
        path: '/hosts/manage/labels/:label_id',
        ...page(() => import('../pages/labels/LabelHostsRedirect.js'), 'LabelHostsRedirect'),
      },
      { path: '/settings', element: <Navigate to="/settings/organization" replace /> },
      {
        path: '/controls/os-settings/custom-settings',
        ...page(() => import('../pages/controls/CustomSettingsPage.js'), 'CustomSettingsPage'),
      },
      {
        path: '/controls/os-settings?',
        ...page(() => import('../pages/controls/ControlsNav.js'), 'ControlsRedirect'),
      },
      {
        path: '/settings/integrations/mdm',
        ...page(() => import('../pages/settings/mdm/MdmSettingsPage.js'), 'MdmSettingsPage'),
      },
      {
        path: '/settings/integrations',
        element: <Navigate to="/settings/integrations/mdm" replace />,
      },
      {
        path: '/settings/users',
        ...page(() => import('../pages/settings/users/UsersPage.js'), 'UsersPage'),
      },
      {
        path: '/settings/teams',
        ...page(() => import('../pages/settings/teams/TeamsPage.js'), 'TeamsPage'),
      },
      {
        path: '/settings/teams/users',
        ...page(() => import('../pages/settings/teams/TeamDetailsPage.js'), 'TeamDetailsPage'),
      },
      {
        path: '/settings/teams/:team_id/*',
        ...page(() => import('../pages/settings/teams/TeamDetailsPage.js'), 'TeamPathRedirect'),
      },
      {
        path: '/settings/enroll-secrets',
        ...page(
          () => import('../pages/enroll-secrets/GlobalEnrollSecretsPage.js'),
          'GlobalEnrollSecretsPage',
        ),
      },
      { path: '/account', ...page(() => import('../pages/account/AccountPage.js'), 'AccountPage') },
      {
        path: '/queries/manage',
        ...page(() => import('../pages/queries/ManageQueriesPage.js'), 'ManageQueriesPage'),
      },
      { path: '/queries/new', ...page(() => import('../pages/queries/QueryPage.js'), 'QueryPage') },
      { path: '/queries/:id', ...page(() => import('../pages/queries/QueryPage.js'), 'QueryPage') },
      { path: '*', ...page(() => import('../pages/NotFoundPage.js'), 'NotFoundPage') },
    ],
  },
]

export const createRouter = () => createBrowserRouter(routes)
