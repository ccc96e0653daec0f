/** /metrics over a real server: the exposition parses as Prometheus text (every line checked against
 *  the format, every sample in a declared family), and the counters and histograms move when RPCs are
 *  made (by method and status code), as do the suggestion timings and the trials gauge. Request ids
 *  from x-request-id metadata are echoed and logged; keys never are. */
import { Metadata } from '@grpc/grpc-js';
import { createTenant, openStorage } from '../src/admin';
import { createStudyClient, statusOf, Status, StudyClient, DashboardServer, freshDataDir, http, startDashboardServer, waitFor } from '@hpo/testing';

interface Exposition {
  types: Map<string, string>;
  samples: Map<string, number>;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
// Values as Prometheus reads them (Go's strconv.ParseFloat: NaN and Inf in any letter case). prom-client
// writes NaN as "Nan", e.g. nodejs_eventloop_lag_mean_seconds before the first event-loop sample.
const SAMPLE = new RegExp(`^(${NAME})(\\{(?:${LABEL}(?:,${LABEL})*)?,?\\})? (-?(?:[0-9.]+(?:e[+-]?[0-9]+)?|\\+?[Ii][Nn][Ff]|[Nn][Aa][Nn]))(?: -?[0-9]+)?$`);
const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'], counter: ['', '_total'], gauge: [''], untyped: [''] };

/** A strict reader of the Prometheus text format 0.0.4: throws on any line it does not recognise. */
function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      if (types.has(type[1])) throw new Error(`line ${i + 1}: family ${type[1]} declared twice`);
      types.set(type[1], type[2]);
      return;
    }
    if (/^# HELP \S+ .*$/.test(line) || /^# /.test(line)) return;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`line ${i + 1} is not Prometheus text: ${JSON.stringify(line)}`);
    const family = [...types.entries()].find(([name, t]) => SUFFIXES[t].some((s) => m[1] === name + s));
    if (!family) throw new Error(`line ${i + 1}: sample ${m[1]} has no # TYPE`);
    const key = `${m[1]}${m[2] ?? ''}`;
    if (samples.has(key)) throw new Error(`line ${i + 1}: duplicate sample ${key}`);
    samples.set(key, m[3] === '+Inf' || m[3] === 'Inf' ? Infinity : Number(m[3]));
  });
  return { types, samples };
}

/** A sample's value by name and labels (in any order); 0 when absent (a counter not yet touched). */
function value(e: Exposition, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const [key, v] of e.samples) {
    const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key)!;
    if (m[1] !== name) continue;
    const have: string[] = (m[2] ?? '').match(/[a-zA-Z_]+="(?:[^"\\]|\\.)*"/g) ?? [];
    if (want.length === have.length && want.every((w) => have.includes(w))) return v;
  }
  return 0;
}

const config = {
  parameters: [{ name: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 }],
  metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
  algorithm: 'RANDOM_SEARCH',
};

describe('Prometheus metrics and request logging', () => {
  let server: DashboardServer;
  let key = '';
  let client: StudyClient;
  const scrape = async (port?: number) => {
    const res = await http(`http://127.0.0.1:${port ?? server.metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(res.text);
  };
  const rpc = (method: string, code: string) => ({ method: `/hpo.v1.StudyService/${method}`, code });

  beforeAll(async () => {
    const dataDir = freshDataDir();
    const storage = await openStorage({ dataDir });
    try {
      key = (await createTenant(storage, 'metrics-team')).apiKey;
    } finally {
      await storage.close();
    }
    server = await startDashboardServer({ HPO_DATA_DIR: dataDir, HPO_METRICS_PORT: '0', HPO_LOG_LEVEL: 'debug' });
    client = createStudyClient(server.address, key);
  });

  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it('has a parser that rejects what is not Prometheus text', () => {
    expect(() => parseExposition('# TYPE a counter\na 1\n')).not.toThrow();
    expect(() => parseExposition('# TYPE a counter\na one\n')).toThrow(/not Prometheus text/);
    expect(() => parseExposition('b 1\n')).toThrow(/no # TYPE/);
    expect(() => parseExposition('# TYPE a gauge\na{x="1} 2\n')).toThrow(/not Prometheus text/);
    expect(() => parseExposition('# TYPE a gauge\na 1\na 2\n')).toThrow(/duplicate/);
    expect(() => parseExposition('# TYPE a gauge\na Nan\n# TYPE b gauge\nb -Inf\n')).not.toThrow();
    expect(() => parseExposition('# TYPE a gauge\na Nope\n')).toThrow(/not Prometheus text/);
  });

  it('serves a well-formed exposition with every family the issue asks for, on both ports', async () => {
    const e = await scrape();
    for (const [family, type] of [
      ['hpo_rpc_requests_total', 'counter'],
      ['hpo_rpc_duration_seconds', 'histogram'],
      ['hpo_suggestion_duration_seconds', 'histogram'],
      ['hpo_trials', 'gauge'],
      ['hpo_policy_pool_queue_depth', 'gauge'],
      ['hpo_llm_calls_total', 'counter'],
      ['hpo_llm_tokens_total', 'counter'],
      ['hpo_llm_errors_total', 'counter'],
      ['hpo_storage_errors_total', 'counter'],
      ['process_cpu_user_seconds_total', 'counter'],
    ]) {
      expect([family, e.types.get(family)]).toEqual([family, type]);
    }
    expect(value(e, 'hpo_policy_pool_queue_depth')).toBe(0);
    const onDashboard = await scrape(server.dashboardPort);
    expect(onDashboard.types.get('hpo_rpc_requests_total')).toBe('counter');
    expect((await http(`http://127.0.0.1:${server.metricsPort}/healthz`)).json).toEqual({ status: 'ok' });
    // The metrics-only port serves no dashboard.
    expect((await http(`http://127.0.0.1:${server.metricsPort}/api/studies`, { key })).status).toBe(404);
  });

  it('counts and times RPCs by method and code, and times suggestions by algorithm', async () => {
    const before = await scrape();
    const study = await client.CreateStudy({ displayName: 'metered', config });
    expect((await statusOf(client.GetStudy({ name: 'studies/999999' }))).code).toBe(Status.NOT_FOUND);
    const anonymous = createStudyClient(server.address);
    expect((await statusOf(anonymous.ListStudies({}))).code).toBe(Status.UNAUTHENTICATED);
    anonymous.close();
    const { trials } = await client.SuggestTrials({ parent: study.name, count: 2, clientId: 'w' });
    expect(trials).toHaveLength(2);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
    expect(delta('hpo_rpc_requests_total', rpc('CreateStudy', 'OK'))).toBe(1);
    expect(delta('hpo_rpc_requests_total', rpc('GetStudy', 'NOT_FOUND'))).toBe(1);
    expect(delta('hpo_rpc_requests_total', rpc('ListStudies', 'UNAUTHENTICATED'))).toBe(1);
    expect(delta('hpo_rpc_requests_total', rpc('SuggestTrials', 'OK'))).toBe(1);
    expect(delta('hpo_rpc_duration_seconds_count', rpc('CreateStudy', 'OK'))).toBe(1);
    expect(delta('hpo_rpc_duration_seconds_bucket', { ...rpc('CreateStudy', 'OK'), le: '+Inf' })).toBe(1);
    expect(delta('hpo_rpc_duration_seconds_sum', rpc('CreateStudy', 'OK'))).toBeGreaterThan(0);
    // Buckets are cumulative.
    const buckets = [...after.samples.entries()].filter(([k]) => k.startsWith('hpo_rpc_duration_seconds_bucket') && k.includes('CreateStudy')).map(([, v]) => v);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(delta('hpo_suggestion_duration_seconds_count', { algorithm: 'RANDOM_SEARCH' })).toBe(1);
    expect(delta('hpo_suggestions_total', { algorithm: 'RANDOM_SEARCH' })).toBe(2);
    // The trials gauge is read from the database at scrape time (cached for a few seconds).
    await waitFor('hpo_trials{state="ACTIVE"} = 2', async () => (value(await scrape(), 'hpo_trials', { state: 'ACTIVE' }) === 2 ? true : undefined), 15_000);
  });

  it('echoes x-request-id, generates one when absent, and logs calls with it but never the key', async () => {
    const call = (md: Metadata) =>
      new Promise<Metadata>((resolve, reject) => {
        md.set('authorization', `Bearer ${key}`);
        const c = (client.raw as any).ListStudies({}, md, (err: Error | null) => (err ? reject(err) : undefined));
        c.on('metadata', (m: Metadata) => resolve(m));
      });
    const md = new Metadata();
    md.set('x-request-id', 'req-dashboard-test-42');
    expect((await call(md)).get('x-request-id')).toEqual(['req-dashboard-test-42']);
    const generated = (await call(new Metadata())).get('x-request-id')[0];
    expect(String(generated)).toMatch(/^[0-9a-f-]{36}$/);
    // A request id that could forge a log line is replaced.
    const evil = new Metadata();
    evil.set('x-request-id', 'a"b\\nc');
    expect(String((await call(evil)).get('x-request-id')[0])).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor('the access log line', () => (server.logs().includes('req-dashboard-test-42') ? true : undefined));
    const line = server.logs().split('\n').find((l) => l.includes('req-dashboard-test-42'))!;
    expect(JSON.parse(line)).toMatchObject({ msg: 'rpc', method: '/hpo.v1.StudyService/ListStudies', code: 'OK', requestId: 'req-dashboard-test-42' });
    expect(server.logs()).not.toContain(key);
    expect(server.logs()).not.toContain(key.slice(4, 20));
  });
});
