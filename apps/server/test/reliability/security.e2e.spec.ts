/** Security under load: two tenants run studies at the same time while one probes every RPC (and the
 *  dashboard) on the other's study and trial names — always NOT_FOUND, nothing changes, both loads
 *  keep their invariants; a third tenant revoked mid-load is refused at its very next call; and no
 *  API key (nor its hash) appears in the server's logs, in any error message, in the dashboard's
 *  answers or in /metrics. */
import { createHash } from 'node:crypto';
import { createTenant, openStorage, revokeTenant } from '../../src/admin';
import { ServerProcess, startServerProcess, checkInvariants, Ledger, backends, Backend, runWorkers, serverTrials } from '@hpo/testing';
import type { StudyConfig } from '../../../client-sdk/src/types';
import { HpoClient, Outcome, outcome, sdkClient } from './support/sdk';

const config = (maxTrials: number): StudyConfig => ({
  parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1 }],
  metrics: [{ name: 'objective', goal: 'MINIMIZE' }],
  algorithm: 'RANDOM_SEARCH',
  maxTrials,
});

async function http(port: number, path: string, key: string | undefined, method = 'GET', body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, text: await res.text() };
}

describe.each(backends())('security under load on $name', ({ fresh }) => {
  let backend: Backend;
  let server: ServerProcess;
  let keys: Record<'alpha' | 'beta' | 'gamma', string>;
  const seen: string[] = [];

  beforeAll(async () => {
    backend = fresh();
    const storage = await openStorage(backend.storageOptions);
    try {
      keys = {
        alpha: (await createTenant(storage, 'alpha')).apiKey,
        beta: (await createTenant(storage, 'beta')).apiKey,
        gamma: (await createTenant(storage, 'gamma')).apiKey,
      };
    } finally {
      await storage.close();
    }
    // debug: every rejected call is logged, which is where a careless key would show up.
    server = await startServerProcess({ ...backend.env, HPO_LOG_LEVEL: 'debug', HPO_DASHBOARD_PORT: '0' });
  });
  afterAll(() => server?.stop());

  const record = (o: Outcome): Outcome => {
    seen.push(o.details);
    return o;
  };

  it('two tenants under load: every cross-tenant RPC and dashboard call is NOT_FOUND and changes nothing', async () => {
    const alpha = sdkClient(server.address, keys.alpha);
    const beta = sdkClient(server.address, keys.beta);
    const alphaStudy = await alpha.createStudy({ displayName: 'alpha-load', config: config(150) });
    const betaStudy = await beta.createStudy({ displayName: 'beta-load', config: config(150) });
    const ledgers = { alpha: new Ledger(), beta: new Ledger() };
    let loadDone = false;
    const probes: Outcome[] = [];
    const dashboard: number[] = [];
    const prober = (async () => {
      let round = 0;
      while (!loadDone || round < 3) {
        round++;
        const trial = [...ledgers.alpha.handedTo.keys()].pop() ?? `${alphaStudy.name}/trials/1`;
        const calls: Array<Promise<unknown>> = [
          beta.getStudy(alphaStudy.name),
          beta.deleteStudy(alphaStudy.name),
          beta.suggestTrials({ parent: alphaStudy.name, clientId: 'thief' }),
          beta.reportIntermediate({ name: trial, measurement: { step: 99, metrics: { objective: 0 } } }),
          beta.completeTrial({ name: trial, finalMeasurement: { metrics: { objective: -1 } } }),
          beta.completeTrial({ name: trial, infeasible: true }),
          beta.addTrials({ parent: alphaStudy.name, trials: [{ parameters: { x: 0.5 }, finalMeasurement: { metrics: { objective: -9 } } }], space: alphaStudy.config.parameters }),
          beta.getTrial(trial),
          beta.listTrials({ parent: alphaStudy.name }),
          beta.listOptimalTrials(alphaStudy.name),
          beta.stopTrial(trial),
          beta.heartbeat({ parent: alphaStudy.name, clientId: 'w0' }),
          beta.heartbeat({ parent: alphaStudy.name, trialName: trial }),
        ];
        for (const c of calls) probes.push(record(await outcome(c)));
        const id = alphaStudy.id;
        const tid = trial.split('/').pop();
        dashboard.push((await http(server.dashboardPort!, `/api/studies/${id}`, keys.beta)).status);
        dashboard.push((await http(server.dashboardPort!, `/api/studies/${id}/export.json`, keys.beta)).status);
        dashboard.push((await http(server.dashboardPort!, `/api/studies/${id}/trials/${tid}/stop`, keys.beta, 'POST', {})).status);
        dashboard.push((await http(server.dashboardPort!, `/api/studies/${id}/trials/${tid}/note`, keys.beta, 'PUT', { note: 'pwned' })).status);
        const listed = JSON.parse((await http(server.dashboardPort!, '/api/studies', keys.beta)).text);
        expect(JSON.stringify(listed)).not.toContain('alpha-load');
      }
    })();
    const target = server.address;
    await Promise.all([
      runWorkers({ target, apiKey: keys.alpha, studies: [alphaStudy.name], workers: 16, ledger: ledgers.alpha, clientPrefix: 'a' }),
      runWorkers({ target, apiKey: keys.beta, studies: [betaStudy.name], workers: 16, ledger: ledgers.beta, clientPrefix: 'b' }),
    ]).finally(() => (loadDone = true));
    await prober;

    expect(probes.length).toBeGreaterThanOrEqual(13 * 3);
    expect([...new Set(probes.map((p) => p.code))]).toEqual(['NOT_FOUND']);
    expect([...new Set(dashboard)]).toEqual([404]);
    for (const [who, client, study, ledger] of [
      ['alpha', alpha, alphaStudy.name, ledgers.alpha],
      ['beta', beta, betaStudy.name, ledgers.beta],
    ] as const) {
      const report = checkInvariants(ledger, await serverTrials(client, [study]), { maxTrials: 150 });
      expect({ who, problems: report.problems }).toEqual({ who, problems: [] });
      expect(report.counts).toEqual({ SUCCEEDED: 150 });
    }
    expect((await alpha.listStudies()).studies.map((s) => s.displayName)).toEqual(['alpha-load']);
    expect((await beta.listStudies()).studies.map((s) => s.displayName)).toEqual(['beta-load']);
    const notes = (await alpha.allTrials(alphaStudy.name)).filter((t) => JSON.stringify(t).includes('pwned'));
    expect(notes).toEqual([]);
    alpha.close();
    beta.close();
  });

  it('a key revoked mid-load is refused at its very next call, on gRPC and the dashboard', async () => {
    const gamma = sdkClient(server.address, keys.gamma);
    const study = await gamma.createStudy({ displayName: 'gamma-load', config: config(0) });
    const ledger = new Ledger();
    const load = runWorkers({ target: server.address, apiKey: keys.gamma, studies: [study.name], workers: 8, ledger, clientPrefix: 'g' }).catch((e) => e);
    while (ledger.acked.size < 20) await new Promise((r) => setTimeout(r, 20));
    const storage = await openStorage(backend.storageOptions);
    try {
      await revokeTenant(storage, 'gamma');
    } finally {
      await storage.close();
    }
    const next = record(await outcome(gamma.listStudies()));
    expect(next).toEqual({ code: 'UNAUTHENTICATED', details: 'invalid or revoked API key' });
    expect((await http(server.dashboardPort!, '/api/studies', keys.gamma)).status).toBe(401);
    // The workers stop on UNAUTHENTICATED (not retryable).
    const ended = await load;
    expect(String(ended)).toMatch(/UNAUTHENTICATED/);
    const wrong = record(await outcome(sdkClient(server.address, keys.alpha.slice(0, -2) + 'xx').listStudies()));
    expect(wrong.code).toBe('UNAUTHENTICATED');
    gamma.close();
  });

  it('no key or key hash in the logs, in error messages, in dashboard answers or in /metrics', async () => {
    const metrics = await http(server.dashboardPort!, '/metrics', undefined);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/hpo_|grpc/);
    const session = await http(server.dashboardPort!, '/api/session', keys.alpha);
    const texts = { logs: server.logs(), errors: seen.join('\n'), metrics: metrics.text, session: session.text };
    expect(texts.logs.length).toBeGreaterThan(1000);
    for (const key of Object.values(keys)) {
      const secrets = [key, key.slice(4, 24), createHash('sha256').update(key, 'utf8').digest('hex')];
      for (const [where, text] of Object.entries(texts)) {
        for (const s of secrets) expect({ where, leaked: text.includes(s) }).toEqual({ where, leaked: false });
      }
    }
  });
});
