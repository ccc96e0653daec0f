/** Nest injection tokens of the server's own singletons. */
export const STORAGE = Symbol.for('hpo.Storage');
/** The PolicyRunner (apps/server/src/suggestion/policy-runner.ts): the worker pool, or inline. */
export const POLICY_RUNNER = Symbol.for('hpo.PolicyRunner');
export const SERVER_SETTINGS = Symbol.for('hpo.ServerSettings');
export const APP_LOGGER = Symbol.for('hpo.Logger');

/** What the request path needs to know about how the server was started. */
export interface ServerSettings {
  /** The bind is loopback-only: without tenants, callers are the local tenant. */
  loopback: boolean;
}
