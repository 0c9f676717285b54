import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { CliError } from './errors.js'
import { groupSpecs, parseSpecDocuments, type SpecGroup } from './specs.js'

/** Reads and validates a spec file (`-f`), relative to `cwd`. */
export async function readSpecFile(file: string, cwd: string): Promise<SpecGroup> {
  let text: string
  try {
    text = await readFile(resolve(cwd, file), 'utf8')
  } catch (err) {
    throw new CliError(`reading ${file}`, { cause: err })
  }
  const group = groupSpecs(parseSpecDocuments(text, file), file)
  const empty =
    group.labels.length === 0 &&
    group.teams.length === 0 &&
    group.queries.length === 0 &&
    group.policies.length === 0 &&
    group.userRoles.length === 0 &&
    !group.enrollSecret &&
    !group.config
  if (empty) {
    throw new CliError(`${file}: no specs found`)
  }
  return group
}
