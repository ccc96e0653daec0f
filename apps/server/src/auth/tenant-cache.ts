/** Tenants as last read, per storage, so that resolving the caller costs no statement on the hot path
 *  (it was two or three per RPC). Everything cached was read under one `storage.tenantsVersion()` and is
 *  dropped as soon as it moves (a revoke, by this process, the CLI or another replica), so a revoked key
 *  is refused at its next call. When the version is unknown nothing is cached. */
import type { Storage, TenantRecord } from '../storage/storage';

type FoundTenant = TenantRecord & { revoked: boolean };

/** Keys remembered at most (a caller cycling through random keys only reaches the database). */
const MAX_KEYS = 10_000;
/** Whatever is cached is read again after this long even if no change was signalled (a backstop should
 *  a PostgreSQL notice be lost; one statement per key and interval). */
const MAX_AGE_MS = 10_000;

export class TenantCache {
  private version: number | undefined;
  private readAt = 0;
  private readonly byKeyHash = new Map<string, FoundTenant>();
  private keyedTenants: number | undefined;
  private local: TenantRecord | undefined;

  constructor(private readonly storage: Storage) {}

  /** The current version, after dropping whatever an older one cached. */
  private current(): number | undefined {
    const v = this.storage.tenantsVersion();
    const now = this.storage.clock.now();
    if (v === undefined || v !== this.version || now - this.readAt > MAX_AGE_MS) {
      this.byKeyHash.clear();
      this.keyedTenants = undefined;
      this.local = undefined;
      this.version = v;
      this.readAt = now;
    }
    return v;
  }

  /** `read` once per version; the value is kept only if the version did not move while reading. */
  private async cached<T>(get: () => T | undefined, read: () => Promise<T>, keep: (value: T) => void): Promise<T> {
    const v = this.current();
    const hit = v === undefined ? undefined : get();
    if (hit !== undefined) return hit;
    const value = await read();
    if (v !== undefined && this.current() === v) keep(value);
    return value;
  }

  findByKeyHash(hash: string): Promise<FoundTenant | undefined> {
    return this.cached(
      () => this.byKeyHash.get(hash),
      () => this.storage.findTenantByKeyHash(hash),
      (t) => {
        // Unknown keys are not remembered: only real tenants fill the map.
        if (t && this.byKeyHash.size < MAX_KEYS) this.byKeyHash.set(hash, t);
      },
    );
  }

  countKeyedTenants(): Promise<number> {
    return this.cached(
      () => this.keyedTenants,
      () => this.storage.countKeyedTenants(),
      (n) => (this.keyedTenants = n),
    );
  }

  localTenant(): Promise<TenantRecord> {
    return this.cached(
      () => this.local,
      () => this.storage.getOrCreateLocalTenant(),
      (t) => (this.local = t),
    );
  }
}

const caches = new WeakMap<Storage, TenantCache>();

export function tenantCacheOf(storage: Storage): TenantCache {
  let cache = caches.get(storage);
  if (!cache) caches.set(storage, (cache = new TenantCache(storage)));
  return cache;
}
