/** The dashboard in a real browser (Debian's chromium via playwright-core) against a real server with
 *  a study being run by a worker over gRPC: the studies list, the study page and its charts, sorting
 *  the trials table, stopping the running trial from the page (the worker is told STOP at its next
 *  ReportIntermediate), a note, and the CSV download. Screenshots go to test-artifacts/dashboard/. */
import * as fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { createStudyClient, StudyClient, chromiumAvailable, DashboardServer, launchBrowser, screenshotPath, startDashboardServer, waitFor } from '@hpo/testing';

const describeWithChromium = chromiumAvailable() ? describe : describe.skip;

const config = {
  parameters: [
    { name: 'learning_rate', type: 'DOUBLE', minValue: 1e-4, maxValue: 1e-1, scale: 'LOG' },
    { name: 'layers', type: 'INTEGER', minValue: 1, maxValue: 4 },
    { name: 'optimizer', type: 'CATEGORICAL', categories: ['sgd', 'adam'] },
  ],
  metrics: [{ name: 'accuracy', goal: 'MAXIMIZE' }],
  algorithm: 'RANDOM_SEARCH',
  maxTrials: 20,
  problemDescription: 'A small MLP on digits; accuracy on the validation split.',
};

type Param = { name: string; doubleValue?: number; intValue?: number; stringValue?: string };

/** A made-up but smooth response surface, so the charts have something to show. */
function finalAccuracy(params: Param[]): number {
  const p = Object.fromEntries(params.map((x) => [x.name, x.doubleValue ?? x.intValue ?? x.stringValue]));
  return 0.6 + 0.05 * Number(p.layers) + (p.optimizer === 'adam' ? 0.08 : 0) - 0.04 * Math.abs(Math.log10(Number(p.learning_rate)) + 2.5);
}

const measurement = (step: number, accuracy: number) => ({ step, metrics: [{ name: 'accuracy', value: accuracy }], elapsedSeconds: step });

/** Pixels of (about) one colour in a canvas: proof that a series was drawn, not just the axes. */
async function pixelsOfColour(page: Page, selector: string, rgb: [number, number, number]): Promise<number> {
  return page.$$eval(
    selector,
    (canvases, rgb) => {
      let n = 0;
      for (const c of canvases as HTMLCanvasElement[]) {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] > 200 && Math.abs(d[i] - rgb[0]) < 10 && Math.abs(d[i + 1] - rgb[1]) < 10 && Math.abs(d[i + 2] - rgb[2]) < 10) n++;
        }
      }
      return n;
    },
    rgb,
  );
}

async function columnValues(page: Page): Promise<Array<number | null>> {
  const texts = await page.$$eval('table.trials tbody td[data-key="value"]', (tds) => tds.map((td) => td.textContent ?? ''));
  return texts.map((t) => (/^[-\d.e+]+/.test(t) ? parseFloat(t) : null));
}

describeWithChromium('dashboard in a browser', () => {
  let server: DashboardServer;
  let client: StudyClient;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let studyName = '';
  let studyId = 0;
  let paretoStudy = '';
  let liveTrial: { name: string; id: number };
  const decisions: string[] = [];
  let workerDone: Promise<void>;
  const offOrigin: string[] = [];

  beforeAll(async () => {
    server = await startDashboardServer({});
    client = createStudyClient(server.address);
    const study = await client.CreateStudy({ displayName: 'mlp-digits', config });
    studyName = study.name;
    studyId = Number(studyName.split('/')[1]);
    for (let i = 0; i < 8; i++) {
      const { trials } = await client.SuggestTrials({ parent: studyName, count: 1, clientId: 'trainer' });
      const final = finalAccuracy(trials[0].parameters);
      for (let step = 1; step <= 5; step++) await client.ReportIntermediate({ name: trials[0].name, measurement: measurement(step, final * (1 - Math.exp(-step / 1.5))) });
      await client.CompleteTrial({ name: trials[0].name, finalMeasurement: measurement(5, final) });
    }
    // A two-metric study (evaluated elsewhere, added with AddTrials) for the Pareto view.
    const twoMetrics = await client.CreateStudy({
      displayName: 'accuracy-vs-latency',
      config: { ...config, metrics: [{ name: 'accuracy', goal: 'MAXIMIZE' }, { name: 'latency_ms', goal: 'MINIMIZE' }] },
    });
    await client.AddTrials({
      parent: twoMetrics.name,
      trials: Array.from({ length: 12 }, (_, i) => ({
        parameters: [{ name: 'learning_rate', doubleValue: 0.001 * (i + 1) }, { name: 'layers', intValue: 1 + (i % 4) }, { name: 'optimizer', stringValue: i % 2 ? 'adam' : 'sgd' }],
        finalMeasurement: { step: 1, metrics: [{ name: 'accuracy', value: 0.5 + 0.04 * ((i * 7) % 12) / 1.2 }, { name: 'latency_ms', value: 5 + ((i * 5) % 12) }] },
      })),
    });
    paretoStudy = twoMetrics.name;
    const { trials } = await client.SuggestTrials({ parent: studyName, count: 1, clientId: 'live-worker' });
    liveTrial = { name: trials[0].name, id: trials[0].id };
    // The running worker: one epoch every 250 ms until told to stop, then it completes the trial.
    workerDone = (async () => {
      const final = finalAccuracy(trials[0].parameters);
      for (let step = 1; step < 2000; step++) {
        const r = await client.ReportIntermediate({ name: liveTrial.name, measurement: measurement(step, final * (1 - Math.exp(-step / 8))) });
        decisions.push(r.decision);
        if (r.decision === 'STOP') {
          await client.CompleteTrial({ name: liveTrial.name });
          return;
        }
        await new Promise((res) => setTimeout(res, 250));
      }
    })();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('request', (r) => {
      if (!r.url().startsWith(server.dashboardUrl) && !r.url().startsWith('blob:')) offOrigin.push(r.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    client?.close();
    await server?.stop();
  });

  it('lists the study with its state, algorithm, counts and best value', async () => {
    await page.goto(server.dashboardUrl);
    const row = page.locator('tr.study-row', { hasText: 'mlp-digits' });
    await row.waitFor({ timeout: 15_000 });
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toBe('ACTIVE');
    expect(cells[2]).toBe('RANDOM_SEARCH');
    expect(cells[4]).toBe('8 / 20');
    expect(cells[5]).toBe('1');
    expect(cells[7]).toMatch(/^0\.\d+ \(#\d+\) ↑$/);
    // Search narrows the list.
    expect(await page.locator('tr.study-row').count()).toBe(2);
    await page.locator('input.search').fill('latency');
    await page.locator('tr.study-row', { hasText: 'mlp-digits' }).waitFor({ state: 'detached' });
    expect(await page.locator('tr.study-row').count()).toBe(1);
    await page.locator('input.search').fill('');
    await row.waitFor();
    await page.locator('#session').filter({ hasText: 'local mode' }).waitFor();
    await page.screenshot({ path: screenshotPath('studies-list.png'), fullPage: true });
  });

  it('opens the study and draws the history, curves, parallel coordinates, importance and slices', async () => {
    await page.locator('tr.study-row a', { hasText: 'mlp-digits' }).click();
    await page.locator('#study-title', { hasText: 'mlp-digits' }).waitFor();
    await page.locator('#history-chart canvas').waitFor();
    // Points of the objective (#1f77b4) and the best-so-far line (#222222) are on the canvas.
    await waitFor('history points', async () => ((await pixelsOfColour(page, '#history-chart canvas', [31, 119, 180])) > 30 ? true : undefined));
    expect(await pixelsOfColour(page, '#history-chart canvas', [34, 34, 34])).toBeGreaterThan(30);
    // Nothing was stopped early yet: no point in the "stopped" colour (#d62728).
    expect(await pixelsOfColour(page, '#history-chart canvas', [214, 39, 40])).toBe(0);
    // The running trial's curve (#1f77b4) and the completed ones (#2ca02c).
    expect(await pixelsOfColour(page, '#curves-chart canvas', [44, 160, 44])).toBeGreaterThan(30);
    await waitFor('running curve', async () => ((await pixelsOfColour(page, '#curves-chart canvas', [31, 119, 180])) > 10 ? true : undefined));
    expect(await page.locator('#parcoords svg polyline').count()).toBe(8);
    expect(await page.locator('#importance .bar-row').count()).toBe(3);
    expect(await page.locator('#slices svg.slice').count()).toBe(3);
    expect(await page.locator('#slices svg.slice').first().locator('circle').count()).toBe(8);
    expect(await page.locator('table.trials tbody tr').count()).toBe(9);
    await page.screenshot({ path: screenshotPath('study-page.png'), fullPage: true });
  });

  it('sorts the trials table by a column, both ways', async () => {
    await page.locator('table.trials th[data-key="value"]').click();
    await page.locator('table.trials th[data-key="value"][aria-sort="ascending"]').waitFor();
    const up = await columnValues(page);
    const upNumbers = up.filter((v): v is number => v !== null);
    expect(upNumbers.length).toBeGreaterThanOrEqual(8);
    expect(upNumbers).toEqual([...upNumbers].sort((a, b) => a - b));
    await page.locator('table.trials th[data-key="value"]').click();
    await page.locator('table.trials th[data-key="value"][aria-sort="descending"]').waitFor();
    const down = (await columnValues(page)).filter((v): v is number => v !== null);
    expect(down).toEqual([...down].sort((a, b) => b - a));
    // Keyboard: a focused header sorts on Enter.
    await page.locator('table.trials th[data-key="param:layers"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('table.trials th[data-key="param:layers"][aria-sort="ascending"]').waitFor();
    const layers = await page.$$eval('table.trials tbody td[data-key="param:layers"]', (tds) => tds.map((td) => Number(td.textContent)));
    expect(layers).toEqual([...layers].sort((a, b) => a - b));
    await page.screenshot({ path: screenshotPath('trials-sorted.png'), fullPage: true });
  });

  it('stops the running trial from the page, and its worker receives STOP at its next report', async () => {
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions.every((d) => d === 'CONTINUE')).toBe(true);
    page.once('dialog', (d) => void d.accept());
    await page.locator(`button.stop[data-trial="${liveTrial.id}"]`).click();
    await workerDone;
    expect(decisions[decisions.length - 1]).toBe('STOP');
    const trial = await client.GetTrial({ name: liveTrial.name });
    expect(trial.state).toBe('SUCCEEDED');
    expect(trial.statusReason).toMatch(/StopTrial/);
    // The page catches up on its own (live refresh): the trial is SUCCEEDED and marked as stopped early.
    await page.locator(`table.trials tr[data-trial="${liveTrial.id}"] .badge.kind-stopped`, { hasText: 'SUCCEEDED' }).waitFor({ timeout: 15_000 });
    expect(await page.locator(`button.stop[data-trial="${liveTrial.id}"]`).count()).toBe(0);
    // The history shows it as a stopped-early point.
    await waitFor('stopped point in the history', async () => ((await pixelsOfColour(page, '#history-chart canvas', [214, 39, 40])) > 10 ? true : undefined));
    await page.screenshot({ path: screenshotPath('trial-stopped.png'), fullPage: true });
  });

  it('adds a note to a trial, stored on the trial, and shows the trial in detail', async () => {
    page.once('dialog', (d) => void d.accept('promising: rerun with 3x epochs, "seed" 7'));
    await page.locator('button.note[data-trial="1"]').click();
    await page.locator('table.trials tr[data-trial="1"] td[data-key="note"]', { hasText: 'promising: rerun' }).waitFor();
    const trial = await client.GetTrial({ name: `${studyName}/trials/1` });
    expect(trial.note).toBe('promising: rerun with 3x epochs, "seed" 7');
    // The trial's detail row: every intermediate value, the note, the worker.
    await page.locator('table.trials tr[data-trial="1"] td[data-key="id"] button').click();
    const detail = page.locator('table.trials tr[data-detail="1"]');
    await detail.waitFor();
    expect(await detail.textContent()).toContain('intermediate values (5)');
    expect(await detail.textContent()).toContain('promising: rerun');
    expect(await detail.textContent()).toContain('trainer');
  });

  it('downloads the trials as CSV and JSON', async () => {
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()]);
    expect(csv.suggestedFilename()).toBe(`study-${studyId}-mlp-digits.csv`);
    const lines = fs.readFileSync((await csv.path())!, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^trial_id,state,param_learning_rate,param_layers,param_optimizer,value_accuracy,/);
    expect(lines).toHaveLength(10);
    expect(lines[1]).toContain('"promising: rerun with 3x epochs, ""seed"" 7"');
    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#download-json').click()]);
    const body = JSON.parse(fs.readFileSync((await json.path())!, 'utf8'));
    expect(body.study.displayName).toBe('mlp-digits');
    expect(body.trials).toHaveLength(9);
    expect(body.trials[0].measurements).toHaveLength(5);
  });

  it('shows the Pareto front of a two-metric study, the same set as ListOptimalTrials', async () => {
    const optimal = (await client.ListOptimalTrials({ parent: paretoStudy })).optimalTrials.map((t: { id: number }) => t.id);
    expect(optimal.length).toBeGreaterThan(1);
    await page.goto(`${server.dashboardUrl}#/studies/${paretoStudy.split('/')[1]}`);
    await page.locator('#pareto-front svg.pareto').waitFor();
    expect(await page.locator('#pareto-front circle').count()).toBe(12);
    expect(await page.locator('#pareto-front circle.optimal').count()).toBe(optimal.length);
    const titles = await page.$$eval('#pareto-front circle.optimal title', (ts) => ts.map((t) => Number(/trial (\d+)/.exec(t.textContent ?? '')![1])));
    expect(titles.sort((a, b) => a - b)).toEqual([...optimal].sort((a: number, b: number) => a - b));
    // The study's main view with several objectives: first on the page, with the hypervolume over time.
    expect(await page.evaluate(() => document.getElementById('study-body')!.firstElementChild!.contains(document.getElementById('pareto-front')))).toBe(true);
    expect(await page.locator('#pareto-front svg.hypervolume path').count()).toBe(1);
    expect(await page.locator('#pareto-front svg.hypervolume').textContent()).toMatch(/hypervolume after each completed trial \(now [0-9.e+-]+, trial \d+\)/);
    await page.screenshot({ path: screenshotPath('pareto-front.png'), fullPage: true });
  });

  it('loaded nothing from anywhere but the server (works offline)', () => {
    expect(offOrigin).toEqual([]);
  });
});
