/** Tokens each tenant spent today (UTC, by the database clock): the per-tenant daily LLM budget. The
 *  count lives in the database, so every replica on one PostgreSQL draws on the same budget. Two
 *  replicas may both pass the check before either records, so the budget can be overshot by the calls
 *  in flight at the moment it runs out (each at most one prompt's worth), never by a replica's share. */
import type { TenantTokenLedger } from '@hpo/llm';
import type { Storage } from '../storage/storage';

export type TenantTokenStore = Pick<Storage, 'now' | 'addTenantLlmTokens' | 'tenantLlmTokens'>;

export class StoredTenantTokenLedger implements TenantTokenLedger {
  /** perDay 0: unlimited (spending is still counted). */
  constructor(private readonly perDay: number, private readonly store: TenantTokenStore) {}

  async remaining(tenantId: string): Promise<number> {
    if (this.perDay <= 0) return Infinity;
    const spent = await this.store.tenantLlmTokens(storedTenantId(tenantId), await this.today());
    return Math.max(0, this.perDay - spent);
  }

  async record(tenantId: string, tokens: number): Promise<void> {
    if (!(tokens > 0)) return;
    await this.store.addTenantLlmTokens(storedTenantId(tenantId), await this.today(), Math.round(tokens));
  }

  private async today(): Promise<string> {
    return new Date((await this.store.now()) * 1000).toISOString().slice(0, 10);
  }
}

/** The advisor names tenants by the string of their stored id. */
function storedTenantId(tenantId: string): number {
  const id = Number(tenantId);
  if (!Number.isSafeInteger(id)) throw new Error(`tenant id '${tenantId}' is not a stored tenant's id`);
  return id;
}
