/** A report whose reply is lost (the server stored it, the client saw UNAVAILABLE) and is retried. While
 *  the trial is ACTIVE the server takes the identical retry as a repeat; once the lost reply had paused
 *  the trial, the retry is FAILED_PRECONDITION and the SDK recovers the PAUSE from the stored trial
 *  instead of failing the training run. The loss is injected by a grpc-js interceptor on a real
 *  connection. */
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { HpoClient, StudyConfig } from '../src';
import { quadraticConfig } from './support/configs';
import { ServeProcess, startServe, tempDir } from './support/hpo-serve';

/** Turns the first ReportIntermediate reply that `matches` into UNAVAILABLE, after the server has fully
 *  handled the call. */
function loseOneReportReply(matches: (reply: { decision: string }) => boolean): { interceptor: grpc.Interceptor; lost: () => number } {
  let lost = 0;
  const interceptor: grpc.Interceptor = (options, nextCall) => {
    const isReport = options.method_definition.path === '/hpo.v1.StudyService/ReportIntermediate';
    let drop = false;
    return new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        next(
          metadata,
          new grpc.ListenerBuilder()
            .withOnReceiveMessage((message: { decision: string }, nextMessage) => {
              if (isReport && lost === 0 && matches(message)) {
                drop = true;
                lost++;
              }
              // Passed on either way (grpc-js holds the status until the message is processed); a
              // unary call with a non-OK status fails whatever message came before it.
              nextMessage(message);
            })
            .withOnReceiveStatus((status, nextStatus) => {
              nextStatus(drop ? { code: grpc.status.UNAVAILABLE, details: 'reply lost (injected)', metadata: status.metadata } : status);
            })
            .build(),
        );
      },
    });
  };
  return { interceptor, lost: () => lost };
}

describe('a lost ReportIntermediate reply', () => {
  let server: ServeProcess;
  let checkpointRoot: string;
  beforeAll(async () => {
    server = await startServe();
    checkpointRoot = tempDir('hpo-lost-');
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(checkpointRoot, { recursive: true, force: true });
  });

  it('CONTINUE: the retried report is stored once, and training goes on', async () => {
    let reports = 0;
    const fault = loseOneReportReply(() => ++reports === 2);
    const retries: string[] = [];
    const client = new HpoClient({ address: server.address, interceptors: [fault.interceptor], retry: { initialDelayMs: 10, onRetry: (e) => retries.push(e.code) } });
    try {
      const study = await client.createStudy({ displayName: 'lost-continue', config: quadraticConfig() });
      const decisions: string[] = [];
      const result = await study.optimize(
        async (trial) => {
          for (let step = 1; step <= 3; step++) decisions.push((await trial.report(step, 1 / step)).decision);
          return 0.25;
        },
        { trials: 1, clientId: 'lossy', checkpointRoot },
      );
      expect(fault.lost()).toBe(1);
      expect(retries).toEqual(['UNAVAILABLE']);
      expect(decisions).toEqual(['CONTINUE', 'CONTINUE', 'CONTINUE']);
      expect(result.trials[0].measurements.map((m) => m.step)).toEqual([1, 2, 3]);
      expect(result.trials[0].state).toBe('SUCCEEDED');
    } finally {
      client.close();
    }
  });

  it('PAUSE: the pause is read back from the PAUSED trial, and the checkpoint is still saved', async () => {
    const fault = loseOneReportReply((reply) => reply.decision === 'PAUSE');
    const client = new HpoClient({ address: server.address, interceptors: [fault.interceptor], retry: { initialDelayMs: 10 } });
    const config: StudyConfig = {
      parameters: [{ name: 'recipe', type: 'CATEGORICAL', categories: ['a', 'b', 'c', 'd', 'e'] }],
      metrics: [{ name: 'acc', goal: 'MAXIMIZE' }],
      algorithm: 'GRID_SEARCH',
      earlyStopping: { mode: 'FREEZE_THAW', maxStep: 8, minSteps: 2, minTrials: 1 },
      seed: 7,
    };
    const asymptote: Record<string, number> = { a: 0.95, b: 0.9, c: 0.88, d: 0.86, e: 0.84 };
    try {
      const study = await client.createStudy({ displayName: 'lost-pause', config });
      const pausedRuns: Array<{ trialId: number; reason: string; saved: boolean }> = [];
      await study.optimize(
        async (trial) => {
          const recipe = trial.params.recipe as string;
          const start = ((await trial.loadCheckpoint())?.step ?? 0) + 1;
          for (let step = start; step <= 8; step++) {
            const d = await trial.report(step, asymptote[recipe] - (asymptote[recipe] - 0.1) * Math.exp(-step / 2));
            if (d.shouldPause) {
              await trial.saveCheckpoint({ step });
              pausedRuns.push({ trialId: trial.id, reason: d.reason, saved: (await trial.loadCheckpoint()) !== undefined });
              return undefined;
            }
            if (d.shouldStop) break;
          }
          return undefined;
        },
        { trials: 5, clientId: 'lossy-ft', checkpointRoot, idleTimeoutMs: 3000, pollIntervalMs: 200 },
      );
      expect(fault.lost()).toBe(1);
      expect(pausedRuns.length).toBeGreaterThan(0);
      expect(pausedRuns[0].reason).toMatch(/\(recovered after a lost reply\)$/);
      expect(pausedRuns[0].saved).toBe(true);
    } finally {
      client.close();
    }
  });
});
