import { getLabelSpecs } from '@fleet/api'
import type { Command } from 'commander'
import { CliError, doing } from '../errors.js'
import type { Io } from '../io.js'
import { labelSpecOf, type StoredLabelSpec } from '../label-specs.js'
import { formatFlags, FormatOptions, optionsOf } from '../options.js'
import {
  outputFormat,
  renderJsonLines,
  renderTable,
  renderYamlDocs,
  specDoc,
  type OutputFormat,
} from '../render.js'
import { globalsOf, withClient } from '../session.js'

/**
 * `fleetctl get labels [name]`: every label, or the one named. Both read `GET /spec/labels`,
 * as Fleet's fleetctl does.
 */
export function registerGetLabels(get: Command, io: Io): void {
  formatFlags(
    get
      .command('labels')
      .aliases(['label', 'l'])
      .argument('[name]', 'the label to show (default: list every label)')
      .description('List labels, or show one label as a spec for apply'),
  ).action(async (name: string | undefined, _opts: unknown, cmd: Command) => {
    const flags = optionsOf(FormatOptions, cmd)
    const specs = await withClient(globalsOf(cmd, io), { auth: true }, (client) =>
      doing('could not list labels', () => client.call(getLabelSpecs)).then((res) => res.specs),
    )
    if (name === undefined) {
      io.stdout.write(renderLabels(specs, outputFormat(flags, 'table')))
      return
    }
    const label = specs.find((spec) => spec.name === name)
    if (!label) {
      throw new CliError(`label "${name}" not found`)
    }
    io.stdout.write(renderLabel(label, outputFormat(flags, 'yaml')))
  })
}

/**
 * Labels as a table (builtin ones included); as JSON, one `kind: label` document per label with
 * all it has; as YAML, the appliable spec of each label but the builtin ones, which can't be
 * applied. Like Fleet, only the table says when there are none.
 */
export function renderLabels(labels: readonly StoredLabelSpec[], format: OutputFormat): string {
  switch (format) {
    case 'table':
      if (labels.length === 0) {
        return 'No labels found\n'
      }
      return renderTable(
        ['name', 'platform', 'description', 'query'],
        labels.map((l) => [l.name, l.platform, l.description, l.query]),
      )
    case 'json':
      return renderJsonLines(labels.map((label) => specDoc('label', label)))
    case 'yaml':
      return renderYamlDocs(
        labels
          .filter((label) => label.label_type !== 'builtin')
          .map((label) => specDoc('label', labelSpecOf(label))),
      )
  }
}

/**
 * One label: as YAML its appliable spec (marked `label_type: builtin` for a builtin one, which
 * apply then refuses), as JSON all it has.
 */
export function renderLabel(label: StoredLabelSpec, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return renderJsonLines([specDoc('label', label)])
    case 'table':
    case 'yaml': {
      const spec = labelSpecOf(label)
      const builtin = label.label_type === 'builtin' ? { label_type: label.label_type } : {}
      return renderYamlDocs([specDoc('label', { ...spec, ...builtin })])
    }
  }
}
