export function findTeam(id: number): { id: number } {
  return { id }
}
