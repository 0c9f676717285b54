import type { Command } from 'commander'
import { z } from 'zod'
import { CliError } from './errors.js'

/** `--json` / `--yaml`, as {@link formatFlags} declares them. */
export const FormatOptions = z.object({
  json: z.boolean().optional(),
  yaml: z.boolean().optional(),
})

/** Adds `--json` and `--yaml` to a `get` subcommand. */
export function formatFlags(cmd: Command): Command {
  return cmd.option('--json', 'output in JSON format').option('--yaml', 'output in YAML format')
}

/** A command's own options, checked against `schema` (commander hands them over untyped). */
export function optionsOf<S extends z.ZodType>(schema: S, cmd: Command): z.output<S> {
  const parsed = schema.safeParse(cmd.opts())
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `--${flagName(issue.path)}: ${issue.message}`,
    )
    throw new CliError(`invalid options: ${problems.join('; ')}`)
  }
  return parsed.data
}

/** Commander's collector for a repeatable option (`--team 1:admin --team 2:observer`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

function flagName(path: readonly PropertyKey[]): string {
  return String(path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}
