/** Tests run from the TypeScript sources (SWC, no type check: `npm run build` type-checks first).
 *  Worker threads (piscina) and child processes load the compiled dist/ tree, which `pretest` builds. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/bench', '<rootDir>/examples'],
  testMatch: ['**/test/**/*.spec.ts'],
  // libs are npm workspaces (@hpo/<lib>) whose `main` is the compiled dist/; tests run the sources.
  moduleNameMapper: { '^@hpo/(acquisition|core|early-stopping|gp|llm|numeric|space)$': '<rootDir>/libs/$1/src/index.ts' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs', ignoreDynamic: true },
    }],
  },
  testTimeout: 120000,
  maxWorkers: 2,
};
