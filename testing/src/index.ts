/** @hpo/testing: what the tests, bench/ and the dashboard harness share; apps' and libs' sources never
 *  import it (depcheck), and nothing here imports bench/.
 *  - server-process: the one launcher (startServerProcess, startCluster, round-robin target) of the real
 *    server from dist/; repo-paths: repoRoot, serverEntry
 *  - backends: fresh SQLite / PostgreSQL backends for the suites (HPO_TEST_PG_URL)
 *  - grpc-client: a dynamic hpo.v1 client for tests; study-configs: config and measurement fixtures
 *  - dashboard-harness: a server with its dashboard, headless chromium, HTTP helpers
 *  - llm-scripted-server (+ llm-test-functions): an OpenAI-compatible server that follows a script
 *  - load-ledger: what clients saw checked against what the server stored
 *  - manual-clock: a fake clock for in-process tests
 *  - standard-functions (Branin, Hartmann, Ackley, ...), gp-harness (a policy run on one), load-workers
 *    (SDK workers that drive a server and keep a ledger): shared by the GP and load benches and tests */
export * from './repo-paths';
export * from './server-process';
export * from './backends';
export * from './grpc-client';
export * from './study-configs';
export * from './dashboard-harness';
export * from './llm-test-functions';
export * from './llm-scripted-server';
export * from './load-ledger';
export * from './manual-clock';
export * from './standard-functions';
export * from './gp-harness';
export * from './load-workers';
export * from './free-port';
