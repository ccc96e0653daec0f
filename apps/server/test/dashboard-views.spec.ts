/** The dashboard's views in a real browser on seeded studies (dashboard-fixture.ts): page weight and
 *  time to first chart on a 2,000-trial study (printed, and written to test-artifacts), the study page
 *  with every trial state, and a missing study. Screenshots go to test-artifacts/dashboard/. */
import * as fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, DashboardServer, freshDataDir, launchBrowser, screenshotPath, startDashboardServer } from '@hpo/testing';
import { seedDashboardStudies, SeededStudies } from './dashboard-fixture';

const describeWithChromium = chromiumAvailable() ? describe : describe.skip;
const LARGE = 2000;

describeWithChromium('dashboard views on seeded studies', () => {
  let server: DashboardServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let seeded: SeededStudies;

  beforeAll(async () => {
    const dataDir = freshDataDir();
    seeded = await seedDashboardStudies(dataDir, LARGE);
    server = await startDashboardServer({ HPO_DATA_DIR: dataDir });
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(`measures page weight and time to first chart on a ${LARGE}-trial study`, async () => {
    // Bytes on the wire (content-length: gzipped when the server compressed) and decoded, by kind.
    const wire = { html: 0, js: 0, css: 0, api: 0 };
    const decoded = { html: 0, js: 0, css: 0, api: 0 };
    const onResponse = async (r: import('playwright-core').Response): Promise<void> => {
      const headers = r.headers();
      const type = headers['content-type'] ?? '';
      const kind = type.startsWith('text/html') ? 'html' : type.startsWith('text/javascript') ? 'js' : type.startsWith('text/css') ? 'css' : type.startsWith('application/json') ? 'api' : undefined;
      if (!kind) return;
      const size = (await r.body().catch(() => Buffer.alloc(0))).length;
      decoded[kind] += size;
      wire[kind] += Number(headers['content-length'] ?? size);
    };
    page.on('response', onResponse);
    await page.goto(`${server.dashboardUrl}#/studies/${seeded.largeId}`);
    await page.waitForFunction(() => document.querySelector('#history-chart canvas') !== null, undefined, { polling: 'raf', timeout: 60_000 });
    const firstChartMs = await page.evaluate(() => {
      const mark = performance.getEntriesByName('hpo:first-chart')[0];
      return mark ? mark.startTime : performance.now();
    });
    // The page's own marks (hpo:first-chart, hpo:page-drawn); a build without them (the same test run on
    // an older version, for a before/after comparison) is timed when the table appears.
    await page.waitForFunction(() => performance.getEntriesByName('hpo:page-drawn').length > 0 || document.querySelector('#trials-table table') !== null, undefined, {
      polling: 'raf',
      timeout: 60_000,
    });
    const allDrawnMs = await page.evaluate(() => performance.getEntriesByName('hpo:page-drawn')[0]?.startTime ?? performance.now());
    // The study's JSON: from sending the request to its last byte (the server's work and the transfer).
    const apiMs = await page.evaluate((id) => {
      const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith(`/api/studies/${id}`)) as PerformanceResourceTiming | undefined;
      return e ? e.responseEnd - e.requestStart : NaN;
    }, seeded.largeId);
    page.off('response', onResponse);
    const draws = await page.evaluate(() =>
      performance
        .getEntriesByType('measure')
        .filter((m) => m.name.startsWith('hpo:draw:'))
        .map((m) => `${m.name.slice(9)} ${m.duration.toFixed(0)}`)
        .join(', '),
    );
    console.log(`dashboard: first full draw, ms per view: ${draws}`);
    const weight = wire.html + wire.js + wire.css;
    const unpacked = decoded.html + decoded.js + decoded.css;
    const line =
      `page weight ${weight} B transferred (html ${wire.html}, js ${wire.js}, css ${wire.css}; ${unpacked} B uncompressed); ` +
      `study JSON ${wire.api} B transferred (${decoded.api} B) in ${apiMs.toFixed(0)} ms; first chart ${firstChartMs.toFixed(0)} ms; page drawn ${allDrawnMs.toFixed(0)} ms (${LARGE} trials)`;
    console.log(`dashboard: ${line}`);
    fs.writeFileSync(screenshotPath('weight.txt'), line + '\n');
    // A loose sanity bound that cannot flake: the bundle stays under half a megabyte.
    expect(weight).toBeLessThan(500_000);
    await page.screenshot({ path: screenshotPath('large-study.png'), fullPage: true });
    await page.locator('#parcoords').screenshot({ path: screenshotPath('large-parcoords.png') });
  });

  it('shows the large study with ticks on every axis and the interaction built into its objective', async () => {
    // dashboard-fixture's objective has a dropout × layers term: the server finds it as the top pair.
    const pair = page.locator('#interactions .pair-row').first();
    await pair.waitFor();
    expect(await pair.locator('.bar-label').textContent()).toMatch(/^(layers × dropout|dropout × layers)$/);
    // Parallel coordinates: more than two ticks on each of the five axes, and a colour bar.
    expect(await page.locator('#parcoords svg text.tick').count()).toBeGreaterThan(5 * 3);
    expect(await page.locator('#parcoords .colorbar').count()).toBe(1);
  });

  it('shows every view of the showcase study, with each trial state where it belongs', async () => {
    await page.goto(`${server.dashboardUrl}#/studies/${seeded.showcaseId}`);
    await page.locator('#study-title', { hasText: 'showcase' }).waitFor();
    await page.locator('#history-chart canvas').waitFor();
    await page.locator('#timeline svg').waitFor();
    // The history legend names its series instead of "--" placeholders.
    const legend = await page.locator('#history-chart .u-legend').textContent();
    expect(legend).not.toContain('--');
    expect(legend).toContain('best so far');
    // The 4 trials stopped early are points of their own colour (#d62728) in the history.
    const red = await page.$eval('#history-chart canvas', (c) => {
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && Math.abs(d[i] - 214) < 10 && Math.abs(d[i + 1] - 39) < 10 && Math.abs(d[i + 2] - 40) < 10) n++;
      return n;
    });
    expect(red).toBeGreaterThan(40);
    // Hovering the chart reads out the trial under the cursor.
    const over = page.locator('#history-chart .u-over');
    const ob = (await over.boundingBox())!;
    await page.mouse.move(ob.x + ob.width / 2, ob.y + ob.height / 2);
    await page.locator('#history-chart .readout', { hasText: /^trial \d+: val_accuracy [\d.]+.* · best so far [\d.]+$/ }).waitFor();
    // 14 completed trials: parallel coordinates, slices, rank and the EDF ending at 1.
    expect(await page.locator('#parcoords polyline.trial').count()).toBe(14);
    expect(await page.locator('#pairwise svg.contour image').count()).toBe(1);
    expect(await page.locator('#pairwise svg.contour path.iso-line').count()).toBeGreaterThan(0);
    await page.locator('#pairwise').screenshot({ path: screenshotPath('pairwise.png') });
    expect(await page.locator('#pairwise svg.rank circle.rank-point').count()).toBe(14);
    expect(await page.locator('#edf path.edf-line').getAttribute('data-final')).toBe('1');
    // Timeline: 24 trials on two workers; 4 stopped early (not completed), 2 paused now and 2 thawed after a pause.
    expect(await page.locator('#timeline g.trial-bar').count()).toBe(24);
    expect(await page.locator('#timeline g.trial-bar.kind-stopped').count()).toBe(4);
    expect(await page.locator('#timeline g.trial-bar.kind-paused').count()).toBe(2);
    expect(await page.locator('#timeline line.paused').count()).toBe(4);
    expect(await page.locator('#timeline g.trial-bar.kind-completed line.paused').count()).toBe(2);
    // Times in the table are ISO-8601.
    const started = await page.locator('table.trials tbody tr[data-trial="1"] td[data-key="started"]').textContent();
    expect(started).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await page.screenshot({ path: screenshotPath('showcase.png'), fullPage: true });
    // Two other parameters for the contour.
    await page.locator('#pair-x').selectOption('optimizer');
    await page.locator('#pair-y').selectOption('learning_rate');
    expect(await page.locator('#pairwise svg.contour .axis-label', { hasText: 'optimizer' }).count()).toBe(1);
  });

  it('filters the trials table by state and by a parameter range', async () => {
    await page.locator('#state-PAUSED').check();
    await page.locator('#filter-count', { hasText: '2 of 24' }).waitFor();
    expect(await page.locator('table.trials tbody tr').count()).toBe(2);
    await page.locator('#state-PAUSED').uncheck();
    await page.locator('#range-param').selectOption('layers');
    await page.locator('#range-lo').fill('3');
    await page.locator('#range-add').click();
    await page.locator('.chip', { hasText: 'layers' }).waitFor();
    const layers = await page.$$eval('table.trials tbody td[data-key="param:layers"]', (tds) => tds.map((td) => Number(td.textContent)));
    expect(layers.length).toBeGreaterThan(0);
    expect(layers.every((v) => v >= 3)).toBe(true);
    await page.locator('#clear-filters').click();
    await page.locator('#filter-count').waitFor({ state: 'detached' });
    expect(await page.locator('table.trials tbody tr').count()).toBe(24);
  });

  it('brushes the objective axis of the parallel coordinates to filter the table', async () => {
    const target = page.locator('#parcoords rect.brush-target').last();
    await target.scrollIntoViewIfNeeded();
    const box = (await target.boundingBox())!;
    // The top third of the objective axis: the best trials.
    await page.mouse.move(box.x + box.width / 2, box.y + 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3, { steps: 5 });
    await page.mouse.up();
    await page.locator('#parcoords rect.brush').waitFor();
    const dim = await page.locator('#parcoords polyline.trial.dim').count();
    expect(dim).toBeGreaterThan(0);
    expect(dim).toBeLessThan(14);
    // The table keeps the brushed completed trials, and unfinished ones whose latest value is in the range.
    const rows = await page.locator('table.trials tbody tr').count();
    expect(rows).toBeGreaterThanOrEqual(14 - dim);
    expect(rows).toBeLessThan(24 - dim);
    await page.locator('.chip', { hasText: 'val_accuracy' }).waitFor();
    await page.screenshot({ path: screenshotPath('brushed.png'), fullPage: true });
    await page.locator('#parcoords').screenshot({ path: screenshotPath('brushed-parcoords.png') });
    // A click on the axis clears its brush.
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('#parcoords rect.brush').waitFor({ state: 'detached' });
    expect(await page.locator('table.trials tbody tr').count()).toBe(24);
  });

  it('answers a missing study with a not-found page and nothing else', async () => {
    await page.goto(`${server.dashboardUrl}#/studies/9999`);
    await page.locator('#not-found', { hasText: 'Study 9999 not found' }).waitFor();
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await page.locator('#download-csv').count()).toBe(0);
    expect(await page.locator('.panel').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('not-found.png'), fullPage: true });
  });
});
