// Lint rules: typescript-eslint's type-checked recommendations; a floating promise is an error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const INTERNALS =
  'tRPC internals go through server/http/trpc-internals.ts (pinned, and tested by test/trpc-internals.test.ts).';

// Imports a layer may not make. `no-restricted-imports` takes one list per file, so every layer's
// list also repeats the tRPC internals rule below (INTERNALS_PATHS).
const OUTER_LAYERS = [
  {
    group: ['**/server/http/**', '**/server/start/**', '**/server/ops/**', '**/server/cli/**'],
    message: 'procedures never import HTTP, operations or start-up code.',
  },
];
const REPLICA_INTERNALS = [
  {
    group: [
      '**/server/database/read-replicas',
      '**/server/database/read-your-writes',
      '**/server/database/replica-internals',
      '**/server/database/knex-internals',
      '**/server/database/open-database',
    ],
    message: 'a domain reaches the database through its request database (server/database/request-database).',
  },
];

const TRANSPORT_RULES = [
  {
    group: [
      '**/router/users/**',
      '**/router/metadata/**',
      '**/router/auth/**',
      '**/router/sessions/**',
      '**/router/events/**',
    ],
    message: "the transport takes the root router and router/trpc, never a domain's internals.",
  },
  { group: ['../start/**', '../../start/**'], message: 'the transport does not import start-up code.' },
];

function layer(files, name, patterns, ignores = []) {
  return {
    files,
    ignores,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...INTERNALS_PATTERNS,
            ...patterns.map((pattern) => ({ ...pattern, message: `${name}: ${pattern.message}` })),
          ],
          paths: INTERNALS_PATHS,
        },
      ],
    },
  };
}

const INTERNALS_PATTERNS = [{ group: ['@trpc/server/unstable-core-do-not-import'], message: INTERNALS }];
const INTERNALS_PATHS = [
  {
    name: '@trpc/server',
    importNames: ['callTRPCProcedure', 'getErrorShape', 'getTRPCErrorShape', 'transformTRPCResponse'],
    message: INTERNALS,
  },
  {
    name: 'trpc-to-openapi',
    importNames: ['createProcedureCache', 'normalizePath', 'acceptsRequestBody'],
    message: INTERNALS,
  },
];

export default tseslint.config(
  // test/generated/ is openapi-typescript's output, kept as it makes it
  { ignores: ['node_modules/', '.data/', 'coverage/', 'test/generated/', 'console/dist/', 'build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // tRPC's and trpc-to-openapi's internals are reached in one file, pinned and tested
    files: ['**/*.ts'],
    ignores: ['server/http/trpc-internals.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: INTERNALS_PATTERNS, paths: INTERNALS_PATHS }],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[property.name='_def']", message: INTERNALS }],
    },
  },
  {
    // tests reach into loosely typed JSON bodies on purpose
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // client/ is bundled into frontends: from the server it takes types, never code
    files: ['client/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*', '@trpc/server', '@trpc/server/*'],
              allowTypeImports: true,
              message: 'client/ takes only types from the server: use `import type`.',
            },
          ],
        },
      ],
    },
  },
  {
    // console/ is bundled for browsers: from the server it takes types only; its code comes
    // through the typed client (client/), which is made for frontends
    // (type-tests/ build fixture routers from the real schemas and are never bundled)
    files: ['console/src/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/router', '**/router/*', '**/server', '**/server/*', '**/entities', '**/entities/*'],
              allowTypeImports: true,
              message: 'the console takes only types from the server: use `import type`.',
            },
          ],
        },
      ],
    },
  },
  // The layering (docs/architecture.md): dependencies point one way, entities ← infrastructure
  // (server/database, crypto, limits, mail, oidc, passwords) ← router/trpc ← the domains (router/users,
  // router/auth) ← router/app-router ← server/http ← server/start; and nothing imports in a circle.
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { 'import-x': importX },
    settings: {
      // the dependency graph is read from the TypeScript sources themselves
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.mts', '.js'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  layer(
    [
      'router/users/**',
      'router/metadata/**',
      'router/auth/**',
      'router/sessions/**',
      'router/events/**',
      'router/webhooks/**',
      'router/clients/**',
    ],
    'a domain',
    [
      ...OUTER_LAYERS,
      ...REPLICA_INTERNALS,
      { group: ['**/router/app-router'], message: 'a domain does not know the root router.' },
    ],
  ),
  // a domain reaches another only through what it exports for that: auth's sign-in state
  layer(['router/users/**'], 'the users domain', [
    ...OUTER_LAYERS,
    ...REPLICA_INTERNALS,
    {
      group: ['../auth/*', '!../auth/sign-in-state', '../auth/*/**'],
      message: 'users asks auth only through router/auth/sign-in-state.',
    },
    {
      // metadata sits above users (it writes through the users' transaction and access rule)
      group: ['../metadata/*', '!../metadata/metadata-schemas'],
      message: "users takes only the list filter's schema from router/metadata.",
    },
  ]),
  // sessions sit below auth (every sign-in begins one) and know no other domain
  layer(['router/sessions/**'], 'the sessions domain', [
    ...OUTER_LAYERS,
    ...REPLICA_INTERNALS,
    { group: ['../users/**', '../auth/**'], message: 'sessions know no other domain; auth and users call them.' },
    {
      // a token carries some of the user's metadata: that read is all sessions take of it
      group: ['../metadata/*', '!../metadata/token-claims', '!../metadata/metadata-schemas'],
      message: "sessions take only the tokens' claims from router/metadata.",
    },
    { group: ['**/router/app-router'], message: 'a domain does not know the root router.' },
  ]),
  // machine clients sign in as auth's methods do: its token shape and its limit refusal, nothing else
  layer(['router/clients/**'], 'the clients domain', [
    ...OUTER_LAYERS,
    ...REPLICA_INTERNALS,
    {
      group: ['../auth/*', '!../auth/limit-refusal', '!../auth/auth-schemas', '../auth/*/**'],
      message: "clients take only auth's limit refusal and token schema.",
    },
    { group: ['../users/**', '../sessions/**', '../metadata/**', '../webhooks/**'], message: 'clients know no users.' },
    { group: ['**/router/app-router'], message: 'a domain does not know the root router.' },
  ]),
  layer(['router/trpc/**'], 'the tRPC plumbing', [
    ...OUTER_LAYERS,
    {
      group: [
        '../users/**',
        '../metadata/**',
        '../auth/**',
        '../sessions/**',
        '../events/**',
        '../webhooks/**',
        '../clients/**',
        '../app-router',
      ],
      message: 'the plumbing knows no domain.',
    },
  ]),
  layer(
    [
      'server/database/**',
      'server/crypto/**',
      'server/limits/**',
      'server/mail/**',
      'server/oidc/**',
      'server/passwords/**',
      'server/webhooks/**',
    ],
    'infrastructure',
    [
      {
        group: ['**/router/**', '../http/**', '../start/**', '../ops/**', '../cli/**'],
        message: 'infrastructure knows no procedure, transport or start-up code.',
      },
    ],
  ),
  layer(['server/http/**', 'server/ops/**'], 'the transport', TRANSPORT_RULES, ['server/http/trpc-internals.ts']),
  // the bench stands on its own: what it shares with the tests is in dev/testing
  layer(['bench/**'], 'the bench', [
    { group: ['../test/**', '**/test/support/**'], message: 'the bench takes shared fixtures from dev/testing.' },
  ]),
  // the seam itself may reach the internals, and keeps the transport's other rules
  {
    files: ['server/http/trpc-internals.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: TRANSPORT_RULES.map((pattern) => ({ ...pattern, message: `the transport: ${pattern.message}` })) },
      ],
    },
  },
  // generated by the MikroORM CLI
  { files: ['migrations/**/*.ts'], rules: { '@typescript-eslint/require-await': 'off' } },
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
