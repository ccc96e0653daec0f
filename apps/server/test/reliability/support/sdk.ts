/** Small helpers over the SDK for the reliability tests. */
import { HpoClient } from '../../../../client-sdk/src/client';
import { HpoClientError } from '../../../../client-sdk/src/errors';

export { HpoClient, HpoClientError };

/** A client without retries (the tests look at each answer). */
export function sdkClient(address: string, apiKey?: string, options: Partial<ConstructorParameters<typeof HpoClient>[0]> = {}): HpoClient {
  return new HpoClient({ address, apiKey, retry: false, timeoutMs: 30_000, ...options });
}

export interface Outcome {
  code: string;
  details: string;
  retryAfterMs?: number;
}

/** 'OK' or the status the call failed with, with the server's retry hint when it sent one. */
export async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    await p;
    return { code: 'OK', details: '' };
  } catch (e) {
    if (!(e instanceof HpoClientError)) throw e;
    const hint = e.metadata?.get('retry-after-ms')?.[0];
    return { code: e.code, details: e.details, ...(hint !== undefined ? { retryAfterMs: Number(hint) } : {}) };
  }
}
