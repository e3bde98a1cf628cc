// Lint rules, including the dependency boundaries of docs/adr/0002-layers.md:
// domain <- engines <- services <- {http, cli, jobs}; services -> db; only main.ts and cli compose http.
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, why) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: forbidden.map((group) => ({ group: [`**/${group}/**`, `**/${group}`], message: why })) },
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.custos', 'coverage', 'bench/results'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  layer(
    ['src/domain/**'],
    ['engines', 'services', 'db', 'http', 'cli', 'jobs', 'web', 'contracts'],
    'domain/ is the bottom layer: it imports nothing of the application.',
  ),
  layer(['src/db/**'], ['services', 'http', 'cli', 'jobs', 'web'], 'db/ is below services/.'),
  layer(
    ['src/services/**', 'src/importers/**'],
    ['http', 'cli', 'web'],
    'services/ must not know how they are called.',
  ),
  layer(['src/jobs/**', 'src/cli/**', 'src/web/**'], ['http'], 'Only main.ts composes http/.'),
  {
    files: ['src/engines/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'node:fs',
            'fs',
            'node:fs/promises',
            'node:child_process',
            'node:http',
            'pg',
            '@electric-sql/pglite',
          ].map((name) => ({ name, message: 'engines/ are pure: no I/O.' })),
          patterns: ['services', 'db', 'http', 'cli', 'jobs', 'web', 'importers'].map((group) => ({
            group: [`**/${group}/**`, `**/${group}`],
            message: 'engines/ are pure: they import only domain/ (and other engines).',
          })),
        },
      ],
    },
  },
);
