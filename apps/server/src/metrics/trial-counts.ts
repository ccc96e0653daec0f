/** Trials in each state across every tenant, for the hpo_trials gauge. The storage interface is
 *  tenant-scoped by design, so this walks tenants and their studies; the result is cached briefly so
 *  a tight scrape interval does not turn into a query storm. */
import type { TrialState } from '@hpo/core';
import { emptyCounts, Storage, TenantRecord } from '../storage/storage';

/** Prometheus scrapes every 15–60 s by default; two seconds of staleness is invisible there. */
const CACHE_MS = 2000;
const PAGE = 500;

export async function countTrialsAcrossTenants(storage: Storage, includeLocal: boolean): Promise<Record<TrialState, number>> {
  const tenants: TenantRecord[] = await storage.listTenants();
  if (includeLocal) tenants.push(await storage.getOrCreateLocalTenant());
  const total = emptyCounts();
  for (const tenant of tenants) {
    let beforeId: number | undefined;
    for (;;) {
      const page = await storage.listStudies(tenant.id, PAGE, beforeId);
      for (const study of page.studies) {
        const c = await storage.countTrials(tenant.id, study.id);
        for (const s of Object.keys(total) as TrialState[]) total[s] += c[s];
      }
      if (!page.hasMore || page.studies.length === 0) break;
      beforeId = page.studies[page.studies.length - 1].id;
    }
  }
  return total;
}

export function cachedTrialCounts(storage: Storage, includeLocal: boolean): () => Promise<Record<TrialState, number>> {
  let cached: { at: number; value: Promise<Record<TrialState, number>> } | undefined;
  return () => {
    const now = storage.clock.now();
    if (!cached || now - cached.at > CACHE_MS) {
      const value = countTrialsAcrossTenants(storage, includeLocal);
      cached = { at: now, value };
      value.catch(() => (cached = undefined));
    }
    return cached.value;
  };
}
