export function findUser(id: number): { id: number } {
  return { id }
}
