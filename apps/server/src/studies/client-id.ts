/** A worker's client id: what SuggestTrials, Heartbeat and FailTrial key its trials by. */
import { InvalidArgumentError } from '@hpo/core';

export function validClientId(clientId: string | undefined, field = 'client_id'): string {
  const c = clientId ?? '';
  if (c.length < 1 || c.length > 256) throw new InvalidArgumentError(field, `must be 1 to 256 characters (got ${c.length})`);
  return c;
}
