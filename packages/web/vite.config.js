// Builds the console into the server package (packages/server/web), which `fleet serve` serves at
// `/`. No dev server config: run `fleet serve` and rebuild (`npm run build -w @fleet/web`).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // JSX through esbuild (React's automatic runtime): no Babel plugin needed for a production build.
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('../server/web', import.meta.url)),
    emptyOutDir: true,
    // The manifest lets scripts/bundle-size.js find the first route's chunks.
    manifest: true,
    // The polyfill is for old browsers; dropping it keeps every script in a file (strict CSP).
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // The entry holds React, the router, TanStack Query and the API contract; scripts/bundle-size.js
    // checks the gzipped budget that matters, so Vite's raw-size warning would only be noise.
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's misplaced comments and React libraries' "use client" are harmless; they would bury real ones.
        if (warning.code !== 'INVALID_ANNOTATION' && warning.code !== 'MODULE_LEVEL_DIRECTIVE') {
          warn(warning)
        }
      },
    },
    target: 'es2022',
  },
})
