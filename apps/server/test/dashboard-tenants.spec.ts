/** Tenant isolation through the dashboard, as over gRPC (on SQLite, and on PostgreSQL when
 *  HPO_TEST_PG_URL is set): each key sees only its tenant's studies;
 *  another tenant's study, its trials, stop, note and exports are 404 (never 403); no key or a bad key
 *  is 401; the key-less local mode is off once tenants exist. In the browser, the page asks for a key
 *  and shows only that tenant's studies. */
import { createTenant, openStorage } from '../src/admin';
import { createStudyClient, StudyClient, backends, chromiumAvailable, DashboardServer, http, launchBrowser, screenshotPath, startDashboardServer } from '@hpo/testing';

const config = {
  parameters: [{ name: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 }],
  metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
  algorithm: 'RANDOM_SEARCH',
};

describe.each(backends())('dashboard tenant isolation on $name', ({ name, fresh }) => {
  let server: DashboardServer;
  let keyA = '';
  let keyB = '';
  let a: StudyClient;
  let b: StudyClient;
  let studyA = '';
  let studyB = '';
  let trialA = '';

  beforeAll(async () => {
    const backend = fresh();
    const storage = await openStorage(backend.storageOptions);
    try {
      keyA = (await createTenant(storage, 'team-a')).apiKey;
      keyB = (await createTenant(storage, 'team-b')).apiKey;
    } finally {
      await storage.close();
    }
    server = await startDashboardServer(backend.env);
    a = createStudyClient(server.address, keyA);
    b = createStudyClient(server.address, keyB);
    studyA = (await a.CreateStudy({ displayName: 'a-private-study', config })).name;
    studyB = (await b.CreateStudy({ displayName: 'b-study', config })).name;
    const { trials } = await a.SuggestTrials({ parent: studyA, count: 1, clientId: 'wa' });
    trialA = trials[0].name;
    await a.ReportIntermediate({ name: trialA, measurement: { step: 1, metrics: [{ name: 'loss', value: 0.5 }], elapsedSeconds: 1 } });
  });

  afterAll(async () => {
    a?.close();
    b?.close();
    await server?.stop();
  });

  const api = (p: string) => `${server.dashboardUrl}api/${p}`;
  const idOf = (name: string) => name.split('/')[1];

  it('lists only the caller tenant’s studies', async () => {
    const listA = await http(api('studies'), { key: keyA });
    expect(listA.status).toBe(200);
    expect(listA.json.studies.map((s: { displayName: string }) => s.displayName)).toEqual(['a-private-study']);
    const listB = await http(api('studies'), { key: keyB });
    expect(listB.json.studies.map((s: { displayName: string }) => s.displayName)).toEqual(['b-study']);
    expect((await http(api('studies?q=private'), { key: keyB })).json.studies).toEqual([]);
    expect((await http(api('session'), { key: keyB })).json).toEqual({ tenant: 'team-b', local: false });
  });

  it('answers 404 for every read and write on another tenant’s study', async () => {
    const id = idOf(studyA);
    expect((await http(api(`studies/${id}`), { key: keyA })).status).toBe(200);
    const probes = [
      await http(api(`studies/${id}`), { key: keyB }),
      await http(api(`studies/${id}/export.csv`), { key: keyB }),
      await http(api(`studies/${id}/export.json`), { key: keyB }),
      await http(api(`studies/${id}/trials/1/stop`), { key: keyB, method: 'POST', body: {} }),
      await http(api(`studies/${id}/trials/1/note`), { key: keyB, method: 'PUT', body: { note: 'mine now' } }),
    ];
    for (const p of probes) {
      expect(p.status).toBe(404);
      expect(p.json.error).toMatch(/not found/);
    }
    // Nothing changed: A's trial is still ACTIVE with no note.
    const trial = await a.GetTrial({ name: trialA });
    expect(trial.state).toBe('ACTIVE');
    expect(trial.note).toBe('');
    // The same id path for B's own study works, so the 404 above is about ownership, not the route.
    expect((await http(api(`studies/${idOf(studyB)}`), { key: keyB })).status).toBe(200);
  });

  it('requires a valid key: 401 without one (no local mode once tenants exist) or with a bad one', async () => {
    const none = await http(api('studies'));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await http(api('studies'), { key: 'hpo_not-a-real-key' })).status).toBe(401);
    expect((await http(api(`studies/${idOf(studyA)}/trials/1/stop`), { method: 'POST', body: {} })).status).toBe(401);
    // Health and metrics stay open for probes and scrapers.
    expect((await http(`${server.dashboardUrl}healthz`)).status).toBe(200);
  });

  it('lets tenant A stop its own trial and annotate it through the API', async () => {
    const id = idOf(studyA);
    const note = await http(api(`studies/${id}/trials/1/note`), { key: keyA, method: 'PUT', body: { note: 'check the data split' } });
    expect(note.status).toBe(200);
    expect(note.json.note).toBe('check the data split');
    expect((await http(api(`studies/${id}/trials/1/note`), { key: keyA, method: 'PUT', body: { note: 42 } })).status).toBe(400);
    // A write without a JSON content type (what a cross-site form would send) is refused.
    const form = await fetch(api(`studies/${id}/trials/1/stop`), { method: 'POST', headers: { authorization: `Bearer ${keyA}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
    expect(form.status).toBe(415);
    const stop = await http(api(`studies/${id}/trials/1/stop`), { key: keyA, method: 'POST', body: {} });
    expect(stop.status).toBe(200);
    expect(stop.json.state).toBe('STOPPING');
    const r = await a.ReportIntermediate({ name: trialA, measurement: { step: 2, metrics: [{ name: 'loss', value: 0.4 }], elapsedSeconds: 2 } });
    expect(r.decision).toBe('STOP');
  });

  // The page is the same on every backend: the browser part runs once, on SQLite (and only where
  // chromium is installed; chromiumAvailable() says so when it is not).
  (name !== 'sqlite' ? () => undefined : chromiumAvailable() ? it : it.skip)('in the browser, asks for a key and shows only that tenant’s studies', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(server.dashboardUrl);
      await page.locator('#api-key').waitFor();
      await page.screenshot({ path: screenshotPath('tenant-sign-in.png') });
      await page.locator('#api-key').fill(keyB);
      await page.locator('form.signin button[type="submit"]').click();
      await page.locator('tr.study-row', { hasText: 'b-study' }).waitFor();
      expect(await page.locator('tr.study-row').count()).toBe(1);
      await page.locator('#session', { hasText: 'tenant team-b' }).waitFor();
      await page.screenshot({ path: screenshotPath('tenant-b-studies.png') });
      // Typing tenant A's study into the address bar shows "not found", not A's data.
      await page.goto(`${server.dashboardUrl}#/studies/${idOf(studyA)}`);
      await page.locator('#not-found', { hasText: 'not found' }).waitFor();
      expect(await page.locator('#study-title').count()).toBe(0);
      expect(await page.locator('#not-found').textContent()).toContain('another tenant');
      // The key lives in sessionStorage only: a new tab in a new context would ask again.
      expect(await page.evaluate(() => sessionStorage.getItem('hpo.apiKey'))).toBe(keyB);
      expect(await page.evaluate(() => document.cookie)).toBe('');
    } finally {
      await browser.close();
    }
  });
});
