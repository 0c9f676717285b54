/** Hosts of a label on the hosts page, as it filters them (`?label_id=`). */
export function labelHostsPath(labelId: number): string {
  return `/hosts/manage?label_id=${labelId}`
}

/** Fleet's label URLs. */
export const LABEL_PATHS = {
  manage: '/labels/manage',
  newDynamic: '/labels/new/dynamic',
  newManual: '/labels/new/manual',
  edit: (labelId: number) => `/labels/${labelId}`,
} as const
