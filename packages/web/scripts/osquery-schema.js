// The SQL editor's osquery schema (src/generated/osquery-schema.json) comes from the tables fleetd's
// engine defines: this asks the built fleetd (`fleetd query --schema`) instead of importing the agent,
// which the console may not do. The file is committed so typecheck and unit tests work before any
// build; the web build runs this with --check and fails while the file is stale.
//   node scripts/osquery-schema.js          rewrite the file
//   node scripts/osquery-schema.js --check  exit 1 when the file differs from fleetd's tables
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const fleetd = fileURLToPath(new URL('../../agent/bin/fleetd.js', import.meta.url))
const target = fileURLToPath(new URL('../src/generated/osquery-schema.json', import.meta.url))

const schema = JSON.parse(
  execFileSync(process.execPath, [fleetd, 'query', '--schema'], { encoding: 'utf8' }),
)
const text = `${JSON.stringify(schema, null, 2)}\n`

if (process.argv.includes('--check')) {
  let current = ''
  try {
    current = readFileSync(target, 'utf8')
  } catch {
    // A missing file is stale too.
  }
  if (current !== text) {
    console.error(
      "web: src/generated/osquery-schema.json differs from fleetd's tables; " +
        'run `npm run osquery-schema -w @fleet/web` after `tsc -b` and commit it',
    )
    process.exit(1)
  }
} else {
  writeFileSync(target, text)
  console.log(`web: wrote ${schema.length} osquery tables to src/generated/osquery-schema.json`)
}
