/** The dependency rules of the layout (README, Layout; ../shared/DESIGN.md): numeric ← space / gp /
 *  acquisition / early-stopping ← core ← llm ← apps. Each lib's sources (src/) are
 *  held to the layering (its tests may use higher layers as fixtures). Each lib is imported only through its index
 *  (`@hpo/<lib>`), libs never reach into apps, benches or examples, and libs do no I/O (only
 *  libs/llm/src/providers talks to the outside, as DESIGN says). `npm test` runs `npm run depcheck`. */
const LIBS = ['numeric', 'space', 'gp', 'acquisition', 'early-stopping', 'core', 'llm'];
// What each lib may import from the others (transitively this is the layering above).
const ALLOWED = {
  numeric: [],
  space: ['numeric'],
  gp: ['numeric', 'space'],
  acquisition: ['numeric', 'space', 'gp'],
  'early-stopping': ['numeric', 'space', 'gp', 'acquisition'],
  core: ['numeric', 'space', 'gp', 'acquisition', 'early-stopping'],
  llm: ['numeric', 'space', 'gp', 'acquisition', 'early-stopping', 'core'],
};
const layering = LIBS.map((lib) => ({
  name: `lib-layering-${lib}`,
  comment: `libs/${lib} may import only ${ALLOWED[lib].join(', ') || 'no other lib'}`,
  severity: 'error',
  from: { path: `^libs/${lib}/src/` },
  to: { path: `^libs/(?!(?:${[lib, ...ALLOWED[lib]].join('|')})/)[^/]+/` },
}));
const throughIndex = LIBS.map((lib) => ({
  name: `lib-through-index-${lib}`,
  comment: `code outside libs/${lib} imports it only through its index (@hpo/${lib}), never a file inside it`,
  severity: 'error',
  from: { path: '^(apps|libs|bench|examples)/', pathNot: `^libs/${lib}/` },
  to: { path: `^libs/${lib}/src/(?!index\\.ts$)` },
}));

module.exports = {
  forbidden: [
    ...layering,
    ...throughIndex,
    {
      name: 'lib-into-apps',
      comment: 'libs are imported by apps, never the reverse',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/' },
      to: { path: '^(apps|bench|examples)/' },
    },
    {
      name: 'no-testing-in-sources',
      comment: 'testing/ (launchers, fake clock, fixtures) serves tests and bench/; apps\' and libs\' sources never import it',
      severity: 'error',
      from: { path: '^(apps/[^/]+/src|libs/[^/]+/src)/', pathNot: '/test/' },
      to: { path: '^testing/' },
    },
    {
      name: 'no-bench-in-tests',
      comment: 'what tests share with bench/ lives in testing/ (@hpo/testing); nothing outside bench/ imports bench/',
      severity: 'error',
      from: { path: '^(apps|libs|testing|examples)/' },
      to: { path: '^bench/' },
    },
    {
      name: 'lib-no-io',
      comment: 'libs are pure: no file system, network, processes, threads, Nest or database drivers (libs/llm providers excepted)',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/', pathNot: '^libs/llm/src/providers/' },
      to: { path: '^(fs|net|http|https|http2|child_process|worker_threads|cluster|dgram|dns|tls|@nestjs|pg|better-sqlite3|kysely|piscina)($|/)', dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'services-speak-domain',
      comment: 'the server\'s services (studies/, suggestion/) take and return domain records; wire types (generated from proto/ into the SDK) and their mapping stay at the edge (grpc/ controllers, the dashboard)',
      severity: 'error',
      from: { path: '^apps/server/src/(studies|suggestion)/' },
      to: { path: '^(apps/server/src/grpc/wire-(mapping|types|enums)\\.ts$|apps/client-sdk/src/generated/)' },
    },
    {
      name: 'no-circular-libs',
      comment: 'no cycles between or inside libs',
      severity: 'error',
      from: { path: '^libs/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|node_modules|dashboard-ui)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    preserveSymlinks: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['types', 'main'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
