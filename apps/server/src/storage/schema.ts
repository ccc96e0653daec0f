/** Row types of the database as Kysely sees them. Times are seconds since the Unix epoch (double) read
 *  from the database's own clock; booleans are 0/1 integers so both dialects agree. */
import type { Generated } from 'kysely';

export interface TenantsTable {
  id: Generated<number>;
  name: string;
  /** SHA-256 hex of the API key; null for the built-in local tenant. */
  api_key_hash: string | null;
  is_local: number;
  llm_enabled: number;
  created_at: number;
  revoked_at: number | null;
}

export interface StudiesTable {
  id: Generated<number>;
  tenant_id: number;
  display_name: string;
  config_json: string;
  /** The format version of config_json (libs/core STUDY_CONFIG_VERSION when written); rows stored before
   *  versions existed are 1. Upgraded on read. */
  config_version: Generated<number>;
  created_at: number;
  llm_tokens_used: number;
  /** The study's policy state (apps/server/src/suggestion/policy-state.ts), null before the first fit. */
  policy_state_json: string | null;
}

export interface TrialsTable {
  tenant_id: number;
  study_id: number;
  id: number;
  state: string;
  parameters_json: string;
  final_measurement_json: string | null;
  client_id: string;
  lease_expires_at: number | null;
  resume_from_step: number;
  /** The largest reported step, -1 before the first report (step must strictly increase). */
  last_step: number;
  infeasible_reason: string;
  status_reason: string;
  /** TrialOrigin (migration 0006); null for trials stored before it. */
  origin: string | null;
  create_time: number;
  start_time: number | null;
  complete_time: number | null;
  note: string;
}

export interface MeasurementsTable {
  tenant_id: number;
  study_id: number;
  trial_id: number;
  step: number;
  metrics_json: string;
  elapsed_seconds: number;
}

/** LLM tokens a tenant spent on one UTC day (by the database clock), shared by every replica. */
export interface TenantLlmUsageTable {
  tenant_id: number;
  /** YYYY-MM-DD, UTC. */
  day: string;
  tokens: number;
}

export interface Database {
  tenants: TenantsTable;
  studies: StudiesTable;
  trials: TrialsTable;
  measurements: MeasurementsTable;
  tenant_llm_usage: TenantLlmUsageTable;
}
