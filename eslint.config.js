// ESLint flat config: @eslint/js and typescript-eslint recommended, plus the rules CONVENTIONS.md names.
// Formatting is Prettier's job (`npm run lint` runs both).
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import tseslint from 'typescript-eslint'

/** Node globals for the few plain-JS files (bin/, configs); TS files get theirs from @types/node. */
const nodeGlobals = {
  process: 'readonly',
  console: 'readonly',
  URL: 'readonly',
  module: 'writable',
  require: 'readonly',
  __dirname: 'readonly',
}

export default defineConfig(
  globalIgnores([
    '**/dist/',
    '**/node_modules/',
    'coverage/',
    'ci-out/',
    '.fleet-data/',
    // The web console's build output.
    'packages/server/web/',
    // Deliberately broken imports that prove the architecture rules fail; never linted or compiled.
    'test/arch-fixtures/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        // One program over every source and test. `projectService` would look for each file's nearest
        // tsconfig.json, and packages/*/tsconfig.json exclude the tests, so it cannot type them.
        project: './tsconfig.tests.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // The web console has its own compiler settings (DOM, JSX, bundler resolution).
    files: ['packages/web/src/**/*.ts', 'packages/web/src/**/*.tsx'],
    languageOptions: {
      parserOptions: {
        project: './packages/web/tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    rules: {
      'no-console': 'error',
      eqeqeq: 'error',
      curly: 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // tsc already allows `_`-prefixed unused parameters; let ESLint agree, and allow
      // `const { secret: _secret, ...rest } = row` to drop a field.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // CLI output: fleetctl, the server's own subcommands, and the bin/ launchers.
    files: [
      'packages/cli/src/**',
      'packages/server/src/cli/**',
      'packages/*/bin/**',
      'packages/web/scripts/**',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
