/** `hpo demo`: starts a server in this process on embedded SQLite (kept in ./.hpo-demo unless
 *  --data-dir, so the results can be looked at afterwards with `hpo dashboard`), runs the digits study of examples/digits-mlp (a small network trained epoch by epoch on
 *  the vendored UCI digits, with pause/resume from checkpoints), shows progress, prints the best trial,
 *  and shuts everything down. */
import * as path from 'node:path';
import { Command } from 'commander';
import { MultiBar, Presets } from 'cli-progress';
import type * as ServerMain from '../../../server/src/main';
import { HpoClient, OptimizeProgress, Trial } from '../../../client-sdk/src';
import type { Algorithm, EarlyStoppingMode } from '../../../client-sdk/src';
import type * as DigitsData from '../../../../examples/digits-mlp/digits-data';
import type * as DigitsSpace from '../../../../examples/digits-mlp/search-space';
import type * as DigitsTrain from '../../../../examples/digits-mlp/train';
import { choiceOption } from '../choice-option';
import { formatAssignment, formatNumber, newTable, stateLabel } from '../format';
import { runAction, UsageError } from '../run-action';

interface DemoFlags {
  trials: string;
  parallel: string;
  epochs: string;
  algorithm: Algorithm;
  earlyStopping: EarlyStoppingMode;
  dataDir: string;
  port: string;
  logLevel: string;
  dashboardPort: string;
  warmUpTrials?: string;
}

const positiveInt = (flag: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got ${value}`);
  return n;
};

export function demoCommand(): Command {
  return new Command('demo')
    .description('start a server on embedded SQLite and tune a small neural network on real data (a few minutes on 2 cores)')
    .option('--trials <n>', 'trials in the study', '20')
    .option('--parallel <n>', 'workers training at once (in this process)', '2')
    .option('--epochs <n>', 'epochs per trial (the study max_step)', '15')
    .addOption(choiceOption('--algorithm <name>', 'search algorithm', ['GP_BANDIT', 'RANDOM_SEARCH', 'QUASI_RANDOM_SEARCH', 'LLM_GP_BANDIT'], 'GP_BANDIT'))
    .addOption(choiceOption('--early-stopping <mode>', 'early stopping', ['FREEZE_THAW', 'ASHA', 'HYPERBAND', 'MEDIAN', 'NONE'], 'FREEZE_THAW'))
    .option('--warm-up-trials <n>', 'early stopping decides once this many other trials have curves (early_stopping.min_trials; 0: the default, 5)', '0')
    .option('--data-dir <dir>', 'keep the database here (reopen it later with: hpo dashboard --data-dir DIR)', './.hpo-demo')
    .option('--port <port>', 'server port (0: any free port)', '0')
    .option('--log-level <level>', "the server's log level (logs go to stderr)", 'warn')
    .option('--dashboard-port <port>', 'web dashboard port while the demo runs (0: any free port)', '0')
    .action(runAction(runDemo));
}

async function runDemo(flags: DemoFlags): Promise<void> {
  const trials = positiveInt('--trials', flags.trials);
  const parallel = positiveInt('--parallel', flags.parallel);
  const maxEpochs = positiveInt('--epochs', flags.epochs);
  const warmUpTrials = Number(flags.warmUpTrials ?? '0');
  if (!Number.isInteger(warmUpTrials) || warmUpTrials < 0) throw new UsageError(`--warm-up-trials must be a non-negative integer, got ${flags.warmUpTrials}`);
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer in 0..65535, got ${flags.port}`);
  const dashboardPort = Number(flags.dashboardPort);
  if (!Number.isInteger(dashboardPort) || dashboardPort < 0 || dashboardPort > 65535) {
    throw new UsageError(`--dashboard-port must be an integer in 0..65535, got ${flags.dashboardPort}`);
  }
  const started = Date.now();
  const dataDir = flags.dataDir;
  // Loaded here: the server (Nest) and the example (tfjs) are heavy, and other commands need neither.
  const { startServer } = require('../../../server/src/main') as typeof ServerMain;
  const { loadDigits } = require('../../../../examples/digits-mlp/digits-data') as typeof DigitsData;
  const { digitsStudyConfig } = require('../../../../examples/digits-mlp/search-space') as typeof DigitsSpace;
  const { digitsTrainingFunction } = require('../../../../examples/digits-mlp/train') as typeof DigitsTrain;
  const server = await startServer({
    host: '127.0.0.1',
    port,
    dataDir,
    logLevel: flags.logLevel as ServerMain.ServerOptions['logLevel'],
    logDestination: 2,
    dashboardPort,
  });
  const client = new HpoClient({ address: server.address, apiKey: process.env.HPO_API_KEY });
  const abort = new AbortController();
  const onSignal = (): void => abort.abort('interrupted');
  process.once('SIGINT', onSignal);
  try {
    process.stdout.write(`HPO server listening on ${server.address} (SQLite in ${dataDir})\n`);
    if (server.dashboardUrl) process.stdout.write(`dashboard: ${server.dashboardUrl} (open it to watch the study live)\n`);
    const study = await client.createStudy({
      // One study per run: the data dir keeps the earlier ones.
      displayName: `digits-mlp ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`,
      config: digitsStudyConfig({ maxEpochs, maxTrials: trials, algorithm: flags.algorithm, earlyStopping: flags.earlyStopping, minTrials: warmUpTrials }),
      ifExists: 'RETURN_EXISTING',
    });
    process.stdout.write(
      `study ${study.name} "${study.displayName}": ${study.config.algorithm}, early stopping ${study.config.earlyStopping.mode}, ` +
        `${trials} trials x up to ${maxEpochs} epochs, ${parallel} workers\n` +
        `data: UCI handwritten digits (examples/data/digits.csv), objective: validation accuracy\n`,
    );
    const progress = progressReporter(trials);
    let epochsTrained = 0;
    let thaws = 0;
    const result = await study.optimize(digitsTrainingFunction(loadDigits(), { maxEpochs }), {
      trials,
      parallel,
      clientId: `demo-${process.pid}`,
      checkpointRoot: path.join(dataDir, 'checkpoints'),
      signal: abort.signal,
      // Once max_trials exist, paused trials the server does not find worth thawing stay paused: with
      // nothing of ours training, there is nothing left to wait for.
      idleTimeoutMs: 2_000,
      onEvent: (p) => {
        if (p.event.type === 'reported') epochsTrained++;
        if (p.event.type === 'resumed') thaws++;
        progress.update(p);
      },
    });
    const all = await study.trials();
    const final = Tally.ofTrials(all);
    const best = result.best;
    progress.finish(final, best ? `${formatNumber(best.finalMeasurement?.metrics[study.config.metrics[0].name])} (#${best.id})` : '-');
    progress.stop();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write('\n' + summary(all, final, study.config.metrics[0].name, maxEpochs, epochsTrained, result.paused, thaws) + '\n');
    if (best) {
      process.stdout.write(
        `best trial: #${best.id} val_accuracy=${formatNumber(best.finalMeasurement?.metrics.val_accuracy)}  ${formatAssignment(best.parameters)}\n`,
      );
    }
    process.stdout.write(`done in ${seconds.toFixed(1)} s\n`);
    process.stdout.write(`results kept in ${dataDir}; look at them with: hpo dashboard --data-dir ${dataDir}   (or npm run hpo -- dashboard --data-dir ${dataDir})\n`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    client.close();
    await server.close();
  }
}

/** What became of each trial, by the names the bar and the summary share. */
type Outcome = 'succeeded' | 'stopped early' | 'infeasible' | 'failed' | 'paused' | 'running' | 'waiting';
const OUTCOME_ORDER: Outcome[] = ['succeeded', 'stopped early', 'infeasible', 'failed', 'paused', 'running', 'waiting'];
const FINISHED: ReadonlySet<Outcome> = new Set(['succeeded', 'stopped early', 'infeasible', 'failed']);

export function outcomeOfState(state: string): Outcome {
  switch (state) {
    case 'SUCCEEDED':
      return 'succeeded';
    case 'EARLY_STOPPED':
      return 'stopped early';
    case 'INFEASIBLE':
      return 'infeasible';
    case 'FAILED':
      return 'failed';
    case 'PAUSED':
      return 'paused';
    case 'REQUESTED':
      return 'waiting';
    default:
      return 'running';
  }
}

/** Trials by outcome: from the worker's events while the study runs, from the server's states at the
 *  end, so the bar's last line and the summary count the same trials the same way. */
export class Tally {
  readonly byTrial = new Map<number, Outcome>();

  event(e: OptimizeProgress['event']): void {
    const outcome: Outcome | undefined =
      e.type === 'started' || e.type === 'resumed'
        ? 'running'
        : e.type === 'paused'
          ? 'paused'
          : e.type === 'completed'
            ? 'succeeded'
            : e.type === 'stopped'
              ? 'stopped early'
              : e.type === 'infeasible' || e.type === 'failed'
                ? e.type
                : undefined;
    if (outcome) this.byTrial.set(e.trial.id, outcome);
  }

  static ofTrials(trials: Trial[]): Tally {
    const t = new Tally();
    for (const trial of trials) t.byTrial.set(trial.id, outcomeOfState(trial.state));
    return t;
  }

  get finished(): number {
    let n = 0;
    for (const o of this.byTrial.values()) if (FINISHED.has(o)) n++;
    return n;
  }

  /** "12 succeeded, 3 stopped early, 5 paused" (outcomes with no trial left out). */
  text(): string {
    const counts = new Map<Outcome, number>();
    for (const o of this.byTrial.values()) counts.set(o, (counts.get(o) ?? 0) + 1);
    return OUTCOME_ORDER.filter((o) => counts.has(o)).map((o) => `${counts.get(o)} ${o}`).join(', ') || 'none yet';
  }
}

/** A bar on a terminal; one line per trial event otherwise (CI logs, pipes). The bar counts finished
 *  trials (succeeded, stopped early, infeasible, failed) of the target, with the paused and running
 *  ones beside it; `finish` redraws it from the server's final states. */
function progressReporter(target: number): { update(p: OptimizeProgress): void; finish(final: Tally, best: string): void; stop(): void } {
  const tally = new Tally();
  const epochs = new Map<number, number>();
  const status = (): string => [...epochs].map(([id, e]) => `#${id}:e${e}`).join(' ');
  const bestText = (p: OptimizeProgress): string => (p.best ? `${formatNumber(p.best.value)} (#${p.best.trial.id})` : '-');
  if (!process.stderr.isTTY) {
    return {
      update: (p) => {
        const e = p.event;
        if (e.type === 'reported') return;
        tally.event(e);
        const lastStep = e.trial.measurements[e.trial.measurements.length - 1]?.step;
        const detail =
          e.type === 'paused' ? ` at epoch ${lastStep} (${e.reason})` : e.type === 'resumed' ? ` from epoch ${e.trial.resumeFromStep}` : '';
        const what = e.type === 'stopped' ? 'stopped early' : e.type;
        process.stderr.write(`[${tally.finished}/${target}] trial #${e.trial.id} ${what}${detail}; ${tally.text()}; best ${bestText(p)}\n`);
      },
      finish: (final, best) => process.stderr.write(`[${final.finished}/${target}] finished: ${final.text()}; best ${best}\n`),
      stop: () => undefined,
    };
  }
  const multibar = new MultiBar(
    { format: '{bar} {value}/{total} finished | {counts} | best {best} | {status}', barsize: 24, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  const bar = multibar.create(target, 0, { best: '-', counts: 'none yet', status: '' });
  return {
    update: (p) => {
      const e = p.event;
      tally.event(e);
      if (e.type === 'reported') epochs.set(e.trial.id, e.step);
      else if (e.type !== 'started' && e.type !== 'resumed') epochs.delete(e.trial.id);
      if (e.type === 'paused') multibar.log(`trial #${e.trial.id} paused: ${e.reason}\n`);
      if (e.type === 'resumed') multibar.log(`trial #${e.trial.id} resumed from epoch ${e.trial.resumeFromStep}\n`);
      bar.update(tally.finished, { best: bestText(p), counts: tally.text(), status: status() });
    },
    finish: (final, best) => bar.update(final.finished, { best, counts: final.text(), status: '' }),
    stop: () => multibar.stop(),
  };
}

function summary(trials: Trial[], tally: Tally, objective: string, maxEpochs: number, epochsTrained: number, pauses: number, thaws: number): string {
  const value = (t: Trial): number | undefined => t.finalMeasurement?.metrics[objective];
  // Trials that ran to the end: a trial stopped early keeps its last value, which is not a final one.
  const done = trials.filter((t) => t.state === 'SUCCEEDED' && value(t) !== undefined).sort((a, b) => (value(b) ?? 0) - (value(a) ?? 0));
  const table = newTable(['trial', 'state', objective, 'epochs', 'parameters']);
  for (const t of done.slice(0, 5)) {
    const last = t.measurements[t.measurements.length - 1];
    table.push([`#${t.id}`, stateLabel(t.state), formatNumber(value(t)), last ? String(last.step) : '', formatAssignment(t.parameters)]);
  }
  return [
    `top trials:`,
    table.toString(),
    `${trials.length} trials (${tally.text()}); ${epochsTrained} epochs trained of ${trials.length * maxEpochs} for full-length training; ${pauses} pauses, ${thaws} thaws`,
  ].join('\n');
}
