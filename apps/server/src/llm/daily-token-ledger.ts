/** Tokens each tenant spent today (UTC), in this server process: the per-tenant budget. Replicas keep
 *  their own counts, so with N replicas a tenant may spend up to N times the budget; the per-study
 *  budget, stored with the study, is exact. */
import type { TenantTokenLedger } from '../../../../libs/llm/src/llm-advisor';

export class DailyTenantTokenLedger implements TenantTokenLedger {
  private day = '';
  private readonly spent = new Map<string, number>();

  /** perDay 0: unlimited. */
  constructor(private readonly perDay: number, private readonly now: () => Date = () => new Date()) {}

  private rollOver(): void {
    const today = this.now().toISOString().slice(0, 10);
    if (today !== this.day) {
      this.day = today;
      this.spent.clear();
    }
  }

  remaining(tenantId: string): number {
    if (this.perDay <= 0) return Infinity;
    this.rollOver();
    return Math.max(0, this.perDay - (this.spent.get(tenantId) ?? 0));
  }

  record(tenantId: string, tokens: number): void {
    this.rollOver();
    this.spent.set(tenantId, (this.spent.get(tenantId) ?? 0) + tokens);
  }
}
