/** A study argument is a resource name ("studies/7"), a bare id ("7"), or a display name. */
import type { HpoClient, Study } from '../../client-sdk/src';
import { HpoClientError } from '../../client-sdk/src';

export async function resolveStudy(client: HpoClient, ref: string): Promise<Study> {
  if (ref.startsWith('studies/')) return client.getStudy(ref);
  for await (const study of client.allStudies()) {
    if (study.displayName === ref) return study;
  }
  try {
    return await client.getStudy(`studies/${ref}`);
  } catch (err) {
    if (err instanceof HpoClientError && (err.code === 'NOT_FOUND' || err.code === 'INVALID_ARGUMENT')) {
      throw new HpoClientError('NOT_FOUND', `no study named or numbered "${ref}"`, 'resolveStudy');
    }
    throw err;
  }
}
