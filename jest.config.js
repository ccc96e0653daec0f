/** Tests run from the TypeScript sources (SWC, no type check: `npm run build` type-checks first).
 *  Worker threads (piscina) and child processes load the compiled dist/ tree, which `pretest` builds. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/bench', '<rootDir>/examples', '<rootDir>/testing'],
  testMatch: ['**/test/**/*.spec.ts'],
  // libs are npm workspaces (@hpo/<lib>) whose `main` is the compiled dist/; tests run the sources.
  moduleNameMapper: { '^@hpo/(acquisition|core|early-stopping|gp|llm|numeric|space)$': '<rootDir>/libs/$1/src/index.ts', '^@hpo/testing$': '<rootDir>/testing/src/index.ts' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs', ignoreDynamic: true },
    }],
    '/node_modules/.+\\.m?js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs', ignoreDynamic: false } }],
  },
  // Nest 12 ships ECMAScript modules, which Jest's CommonJS runtime cannot require on Node 20: SWC turns
  // them into CommonJS like our sources, so the server's Nest classes load in-process (fake-clock tests).
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|load-esm|uid)/)'],
  testTimeout: 120000,
  maxWorkers: 2,
};
