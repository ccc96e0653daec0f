/** Per-tenant quotas: server defaults, overridden per tenant by name. Read from a JSON file or inline
 *  JSON (HPO_QUOTAS_FILE / HPO_QUOTAS; `hpo serve` reads them from its environment), e.g.
 *  {"defaults": {"requestsPerSecond": 200}, "tenants": {"team-a": {"maxStudies": 50}}}.
 *  0 means "no limit" for every field. */
import * as fs from 'node:fs';

export interface TenantQuota {
  /** Studies a tenant may hold. */
  maxStudies?: number;
  /** ACTIVE + STOPPING trials across the tenant's studies (checked when SuggestTrials would start new ones). */
  maxActiveTrials?: number;
  /** Sustained RPCs per second per server replica (token bucket refill rate). */
  requestsPerSecond?: number;
  /** Bucket size: how many RPCs may arrive at once after a quiet period. Default 2 × requestsPerSecond. */
  burst?: number;
}

export interface QuotaConfig {
  defaults?: TenantQuota;
  /** By tenant name (the local tenant is "local"). */
  tenants?: Record<string, TenantQuota>;
}

export type ResolvedQuota = Required<TenantQuota>;

/** Generous enough that no normal team notices them, small enough that a runaway script cannot fill
 *  the database or starve other tenants. */
export const DEFAULT_QUOTA: ResolvedQuota = {
  maxStudies: 1000,
  maxActiveTrials: 10_000,
  requestsPerSecond: 2000,
  burst: 4000,
};

const FIELDS: Array<keyof TenantQuota> = ['maxStudies', 'maxActiveTrials', 'requestsPerSecond', 'burst'];

function checkQuota(q: unknown, where: string): TenantQuota {
  if (q === undefined) return {};
  if (typeof q !== 'object' || q === null || Array.isArray(q)) throw new Error(`${where}: must be an object`);
  const out: TenantQuota = {};
  for (const [k, v] of Object.entries(q)) {
    if (!FIELDS.includes(k as keyof TenantQuota)) throw new Error(`${where}.${k}: unknown quota (known: ${FIELDS.join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${where}.${k}: must be a finite number >= 0 (got ${JSON.stringify(v)})`);
    out[k as keyof TenantQuota] = v;
  }
  return out;
}

/** Validates a parsed quota document; throws with the offending path. */
export function parseQuotaConfig(raw: unknown): QuotaConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('quotas: must be a JSON object');
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (k !== 'defaults' && k !== 'tenants') throw new Error(`quotas.${k}: unknown key (known: defaults, tenants)`);
  const tenants: Record<string, TenantQuota> = {};
  if (r.tenants !== undefined) {
    if (typeof r.tenants !== 'object' || r.tenants === null) throw new Error('quotas.tenants: must be an object keyed by tenant name');
    for (const [name, q] of Object.entries(r.tenants)) tenants[name] = checkQuota(q, `quotas.tenants.${name}`);
  }
  return { defaults: checkQuota(r.defaults, 'quotas.defaults'), tenants };
}

/** HPO_QUOTAS (inline JSON) or HPO_QUOTAS_FILE (a path); undefined when neither is set. */
export function quotaConfigFromEnv(env: NodeJS.ProcessEnv = process.env): QuotaConfig | undefined {
  if (env.HPO_QUOTAS) return parseQuotaConfig(JSON.parse(env.HPO_QUOTAS));
  if (env.HPO_QUOTAS_FILE) return parseQuotaConfig(JSON.parse(fs.readFileSync(env.HPO_QUOTAS_FILE, 'utf8')));
  return undefined;
}

/** The quota of one tenant: its own entry over the configured defaults over DEFAULT_QUOTA. */
export function quotaFor(config: QuotaConfig | undefined, tenantName: string): ResolvedQuota {
  const merged = { ...DEFAULT_QUOTA, ...(config?.defaults ?? {}), ...(config?.tenants?.[tenantName] ?? {}) };
  const ownBurst = config?.tenants?.[tenantName]?.burst ?? config?.defaults?.burst;
  if (ownBurst === undefined) merged.burst = 2 * merged.requestsPerSecond;
  return merged;
}
