// Prints the gzipped JavaScript a browser loads for the first route (the entry chunk and its static
// imports, from Vite's manifest) and fails the build above the budget of issue 10 (300 KB).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const BUDGET = 300 * 1024
const out = fileURLToPath(new URL('../../server/web/', import.meta.url))
const manifest = JSON.parse(readFileSync(`${out}.vite/manifest.json`, 'utf8'))
const entry = Object.keys(manifest).find((key) => manifest[key].isEntry)
const seen = new Set()
const visit = (key) => {
  if (seen.has(key)) {
    return
  }
  seen.add(key)
  for (const next of manifest[key].imports ?? []) {
    visit(next)
  }
}
visit(entry)
let total = 0
for (const key of seen) {
  total += gzipSync(readFileSync(out + manifest[key].file)).length
}
const kb = (total / 1024).toFixed(1)
console.log(`web: first route loads ${seen.size} JS files, ${kb} KB gzipped (budget 300 KB)`)
if (total > BUDGET) {
  console.error(`web: over the first-route budget by ${((total - BUDGET) / 1024).toFixed(1)} KB`)
  process.exit(1)
}
