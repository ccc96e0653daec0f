/** Schema migrations, in code so the compiled server carries them (Kysely's Migrator runs them at
 *  start-up, under its own lock, so several replicas may start at once). */
import { Kysely, Migration, MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

function initialSchema(dialect: Dialect): Migration {
  const autoId = dialect === 'postgres' ? 'serial' : 'integer';
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('tenants')
        .addColumn('id', autoId as 'integer', (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('api_key_hash', 'text', (c) => c.unique())
        .addColumn('is_local', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('llm_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'double precision', (c) => c.notNull())
        .addColumn('revoked_at', 'double precision')
        .execute();
      await db.schema
        .createTable('studies')
        .addColumn('id', autoId as 'integer', (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('tenant_id', 'integer', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('config_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'double precision', (c) => c.notNull())
        .addColumn('llm_tokens_used', big as 'integer', (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('studies_tenant_display_name', ['tenant_id', 'display_name'])
        .execute();
      await db.schema
        .createTable('trials')
        .addColumn('tenant_id', 'integer', (c) => c.notNull())
        .addColumn('study_id', 'integer', (c) => c.notNull())
        .addColumn('id', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('parameters_json', 'text', (c) => c.notNull())
        .addColumn('final_measurement_json', 'text')
        .addColumn('client_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('lease_expires_at', 'double precision')
        .addColumn('resume_from_step', big as 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_step', big as 'integer', (c) => c.notNull().defaultTo(-1))
        .addColumn('infeasible_reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('status_reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('create_time', 'double precision', (c) => c.notNull())
        .addColumn('start_time', 'double precision')
        .addColumn('complete_time', 'double precision')
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addPrimaryKeyConstraint('trials_pk', ['study_id', 'id'])
        .execute();
      await db.schema.createIndex('trials_tenant_study_state').on('trials').columns(['tenant_id', 'study_id', 'state']).execute();
      await db.schema.createIndex('trials_state_lease').on('trials').columns(['state', 'lease_expires_at']).execute();
      await db.schema.createIndex('trials_study_client').on('trials').columns(['study_id', 'client_id']).execute();
      await db.schema
        .createTable('measurements')
        .addColumn('tenant_id', 'integer', (c) => c.notNull())
        .addColumn('study_id', 'integer', (c) => c.notNull())
        .addColumn('trial_id', 'integer', (c) => c.notNull())
        .addColumn('step', big as 'integer', (c) => c.notNull())
        .addColumn('metrics_json', 'text', (c) => c.notNull())
        .addColumn('elapsed_seconds', 'double precision', (c) => c.notNull())
        .addPrimaryKeyConstraint('measurements_pk', ['study_id', 'trial_id', 'step'])
        .execute();
    },
  };
}

/** The per-tenant daily LLM budget, counted in the database so replicas share it. */
function tenantLlmUsage(dialect: Dialect): Migration {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('tenant_llm_usage')
        .addColumn('tenant_id', 'integer', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('tokens', big as 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('tenant_llm_usage_pk', ['tenant_id', 'day'])
        .execute();
    },
  };
}

/** The study's policy state (the models' fitted hyperparameters), written with the suggestion or decision
 *  it came from, so a restart or another replica continues from the same fit. */
function studyPolicyState(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('studies').addColumn('policy_state_json', 'text').execute();
    },
  };
}

/** EARLY_STOPPED joins the trial states (a text column: no schema change). Trials that earlier
 *  versions ended SUCCEEDED although a rule had frozen them for good — paused and never resumed at
 *  max_trials, or stopped by a person while paused — are relabelled, so they leave "best trial" and the
 *  models read them as partial curves. Trials stopped by a STOP decision left no mark that tells them
 *  from a worker completing early, and stay as they were. */
function earlyStoppedState(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db
        .updateTable('trials')
        .set({ state: 'EARLY_STOPPED' })
        .where('state', '=', 'SUCCEEDED')
        .where((eb: any) => eb.or([eb('status_reason', 'like', 'not resumed: %'), eb('status_reason', '=', 'stopped while paused (StopTrial)')]))
        .execute();
    },
  };
}

/** Stored StudyConfigs carry their format's version (libs/core study-config-versions.ts) and are
 *  upgraded on read. Rows stored before this column existed are version 1 (the column's default). */
function studyConfigVersion(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('studies').addColumn('config_version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    },
  };
}

/** Where each trial came from (TrialOrigin: design, gp, llm-warm-start, llm-candidate, …, added), so people
 *  see it; rows stored before it stay null ('unspecified'). */
function trialOrigin(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('trials').addColumn('origin', 'text').execute();
    },
  };
}

/** The per-tenant active-trial count (the quota, counted under the tenant's lock whenever trials are
 *  handed out: `where tenant_id = ? and state in ('ACTIVE', 'STOPPING')`) reads this index alone instead
 *  of every (study, state) range of the tenant in trials_tenant_study_state. */
function trialsTenantState(): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createIndex('trials_tenant_state').ifNotExists().on('trials').columns(['tenant_id', 'state']).execute();
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001_initial_schema': initialSchema(dialect),
        '0002_tenant_llm_usage': tenantLlmUsage(dialect),
        '0003_study_policy_state': studyPolicyState(),
        '0004_early_stopped_state': earlyStoppedState(),
        '0005_study_config_version': studyConfigVersion(),
        '0006_trial_origin': trialOrigin(),
        '0007_trials_tenant_state': trialsTenantState(),
      };
    },
  };
}
