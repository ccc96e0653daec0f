/** LLM benchmark (issue 6): regret after 5, 10 and 25 trials on Branin and Hartmann-6 over several
 *  seeds for plain GP_BANDIT, GP_BANDIT + good advice and GP_BANDIT + misleading advice. The advice
 *  comes from a scripted OpenAI-compatible server on loopback through the real `openai` client and the
 *  real LlmAdvisor (prompts, parsing, budgets); the policy is called directly, the way the server does
 *  (warm start while the initial design runs, candidate sampling after). Then tokens and latency per
 *  suggestion of the embedded stories260K model.
 *
 *    npm run build && node dist/bench/src/llm.js [--seeds 5] [--budget 25] [--arms a,b] [--functions braninTask,hartmann6Task]
 *      [--output-warping W] [--no-local] [--out NAME]
 *
 *  Writes bench/results/llm.md and bench/results/llm.json (NAME.md / NAME.json with --out). */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createGpBanditPolicy, type GpBanditPolicy } from '@hpo/core';
import { parseOutputWarping, type OutputWarping } from '@hpo/gp';
import type { LlmConfig, PolicyState, StudyConfig, Suggestion, TrialView } from '@hpo/core';
import { LlmAdvisor } from '@hpo/llm';
import { GuardedProvider } from '@hpo/llm';
import { LocalGgufProvider } from '@hpo/llm';
import { OpenAiCompatibleProvider } from '@hpo/llm';
import { projectRoot, sharedModelsDir } from '@hpo/llm';
import type { CompletionRequest, LlmProvider } from '@hpo/llm';
import { mixSeed } from '@hpo/space';
import { median } from '@hpo/space';
import { pairedCells, pairedComparison, type PairedResult } from './paired-comparison';
import { adviserScript, startScriptedServer, type ScriptedServer, braninTask, hartmann6Task, type TestFunction } from '@hpo/testing';

/** "-whole": the ablation where the warm start supplies the whole initial design (llm.warm_start_trials
 *  set to its size) instead of the default half. */
/** "-warmonly": warm start only, no candidate sampling after it (the pre-refinement behaviour, since raw
 *  LLM candidates never won the acquisition there). */
/** "-ungated": without GP_BANDIT's warm-start gate (warm start leads the design unconditionally; the
 *  behaviour before the gate). */
/** "-noprior": without the warm start as a πBO prior after the design (libs/core warm-start-prior.ts). */
/** "-surrogate": llm.surrogate on (the LLM's own EI, from 3 shuffled prompts, picks which sampled
 *  candidates the GP sees). */
type Arm =
  | 'plain' | 'good' | 'misleading' | 'good-ungated' | 'misleading-ungated' | 'good-warmonly' | 'misleading-warmonly'
  | 'good-whole' | 'misleading-whole' | 'good-surrogate' | 'misleading-surrogate' | 'good-noprior' | 'misleading-noprior';
const ALL_ARMS: Arm[] = [
  'plain', 'good', 'misleading', 'good-ungated', 'misleading-ungated', 'good-warmonly', 'misleading-warmonly', 'good-whole', 'misleading-whole',
  'good-surrogate', 'misleading-surrogate', 'good-noprior', 'misleading-noprior',
];
/** --arms a,b,c picks arms (plain is always run: every comparison is paired against it). */
const ARMS: Arm[] = (() => {
  const i = process.argv.indexOf('--arms');
  if (i < 0) return ['plain', 'good', 'misleading', 'good-ungated', 'misleading-ungated', 'good-warmonly', 'misleading-warmonly'];
  const picked = process.argv[i + 1].split(',');
  for (const a of picked) if (!ALL_ARMS.includes(a as Arm)) throw new Error(`--arms: unknown arm '${a}' (known: ${ALL_ARMS.join(', ')})`);
  return ALL_ARMS.filter((a) => a === 'plain' || picked.includes(a));
})();
const quality = (arm: Arm): 'good' | 'misleading' => (arm.startsWith('good') ? 'good' : 'misleading');
const CHECKPOINTS = [5, 10, 25];
/** --out NAME: another result file (bench/results/NAME.md / .json), e.g. a many-seed run of two arms. */
const OUT_NAME = ((): string => {
  const i = process.argv.indexOf('--out');
  const name = i >= 0 ? process.argv[i + 1] : 'llm';
  if (!/^[\w.-]+$/.test(name)) throw new Error(`--out: a file name under bench/results without a directory (got '${name}')`);
  return name;
})();
/** --output-warping NONE|HALF_RANK|HALF_RANK_LOG|HALF_RANK_COMPRESS: GP_BANDIT's output warping (default: the policy's own). */
const OUTPUT_WARPING = ((): OutputWarping | undefined => {
  const i = process.argv.indexOf('--output-warping');
  return i < 0 ? undefined : parseOutputWarping(process.argv[i + 1]);
})();

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function studyConfig(f: TestFunction, arm: Arm | 'local', seed: number): StudyConfig {
  const llm: LlmConfig = {
    enabled: arm !== 'plain',
    provider: arm === 'local' ? 'LOCAL_GGUF' : 'OPENAI_COMPATIBLE',
    model: arm === 'local' ? 'stories260K.gguf' : 'scripted',
    baseUrl: '',
    warmStart: true,
    // --no-candidates: the ablation with the warm start only.
    candidateSampling: !process.argv.includes('--no-candidates') && !String(arm).endsWith('-warmonly'),
    surrogate: String(arm).endsWith('-surrogate'),
    maxTokensTotal: 0,
    timeoutSeconds: arm === 'local' ? 20 : 10,
    warmStartTrials: arm === 'good-whole' || arm === 'misleading-whole' ? initialDesign(f) : argument('warm-start-trials', 0),
  };
  return {
    parameters: f.parameters,
    metrics: [{ name: 'value', goal: 'MINIMIZE' }],
    algorithm: arm === 'plain' ? 'GP_BANDIT' : 'LLM_GP_BANDIT',
    acquisition: 'LOG_EI',
    earlyStopping: { mode: 'NONE', maxStep: 0, minSteps: 0, minTrials: 0 },
    llm,
    // The seed in the description keeps the prompt cache from sharing replies between runs.
    problemDescription: `${f.description} (benchmark run ${seed})`,
    maxTrials: 0,
    maxParallel: 0,
    seed,
    leaseSeconds: 60,
    gridResolution: 0,
  };
}

/** The server's rule (apps/server/src/suggestion/advice.ts): warm start while the initial design runs. */
function initialDesign(f: TestFunction): number {
  return Math.max(5, f.parameters.length + 1);
}

interface RunResult {
  regret: number[];
  tokens: number;
  llmTrials: number;
  adviceMs: number[];
}

async function runStudy(f: TestFunction, arm: Arm | 'local', seed: number, budget: number, advisor?: LlmAdvisor): Promise<RunResult> {
  const config = studyConfig(f, arm, seed);
  const policy: GpBanditPolicy = createGpBanditPolicy(config, {
    warmStartGate: !String(arm).endsWith('-ungated'), warmStartPrior: !String(arm).endsWith('-noprior'), outputWarping: OUTPUT_WARPING,
  });
  const trials: TrialView[] = [];
  const regret: number[] = [];
  const adviceMs: number[] = [];
  let best = Infinity;
  let tokens = 0;
  let llmTrials = 0;
  let state: PolicyState = {};
  for (let t = 0; t < budget; t++) {
    let externalCandidates: Suggestion[] | undefined;
    if (advisor) {
      const started = performance.now();
      const advice = await advisor.propose({
        study: { config, trials },
        count: 1,
        purpose: t < initialDesign(f) ? 'warm_start' : 'candidates',
        tenantId: 'bench',
        studyId: `${f.name}-${arm}-${seed}`,
        tokensUsedSoFar: tokens,
      });
      adviceMs.push(performance.now() - started);
      tokens += advice.tokensUsed;
      externalCandidates = advice.candidates.length > 0 ? advice.candidates : undefined;
    }
    const result = await policy.suggest({ study: { config, trials }, count: 1, seed: mixSeed(seed, t), externalCandidates, state });
    state = result.state;
    const s = result.suggestions[0];
    if (s.origin === 'llm-warm-start' || s.origin === 'llm-candidate') llmTrials++;
    const value = f.evaluate(s.parameters as Record<string, number>);
    best = Math.min(best, value);
    regret.push(best - f.optimum);
    trials.push({ id: t + 1, state: 'SUCCEEDED', parameters: s.parameters, origin: s.origin, measurements: [], finalMeasurement: { step: 1, metrics: { value }, elapsedSeconds: 0 } });
  }
  return { regret, tokens, llmTrials, adviceMs };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const pairedAt = (a: RunResult[], reference: RunResult[], checkpoint: number, seed: number): PairedResult =>
  pairedComparison(a.map((r) => r.regret[checkpoint - 1]), reference.map((r) => r.regret[checkpoint - 1]), seed);

function pairedTable(names: string[], results: Record<string, Record<Arm, RunResult[]>>, budget: number): string[] {
  const rows: Array<[Arm, Arm, number]> = [];
  const has = (a: Arm) => ARMS.includes(a);
  for (const c of [5, 10, budget]) {
    if (has('misleading')) rows.push(['misleading', 'plain', c]);
    if (has('misleading-ungated')) rows.push(['misleading-ungated', 'plain', c]);
    if (has('misleading-warmonly')) rows.push(['misleading-warmonly', 'plain', c]);
    if (has('misleading-whole')) rows.push(['misleading-whole', 'plain', c]);
    if (has('good') && has('good-warmonly')) rows.push(['good', 'good-warmonly', c]);
    if (has('misleading') && has('misleading-warmonly')) rows.push(['misleading', 'misleading-warmonly', c]);
    if (has('good') && has('good-ungated')) rows.push(['good', 'good-ungated', c]);
    if (has('misleading') && has('misleading-ungated')) rows.push(['misleading', 'misleading-ungated', c]);
    if (has('good-surrogate') && has('good')) rows.push(['good-surrogate', 'good', c]);
    if (has('good') && has('good-noprior')) rows.push(['good', 'good-noprior', c]);
    if (has('misleading') && has('misleading-noprior')) rows.push(['misleading', 'misleading-noprior', c]);
    if (has('misleading-surrogate')) rows.push(['misleading-surrogate', 'plain', c]);
    if (has('good')) rows.push(['good', 'plain', c]);
  }
  const out = [
    'Paired comparisons (same seeds): Δ = log10 regret(arm) − log10 regret(reference), regret floored at 1e-6; median Δ over seeds',
    'with a seed-bootstrap 90 % interval (4000 resamples); ratio of median regrets with its interval; seeds where the arm is',
    "more than 10 % better / worse. The 10 % bar reads Δ's interval against log10 1.1 = 0.041.",
    '',
    '| function | arm vs reference | @ | median Δ [90 %] | ratio of medians [90 %] | better / worse seeds | 10 % bar |',
    '|---|---|---:|---:|---:|---:|---|',
  ];
  for (const name of names) {
    for (const [arm, reference, c] of rows) {
      const p = pairedAt(results[name][arm], results[name][reference], c, mixSeed(c, name.length));
      out.push(`| ${name} | ${arm} vs ${reference} | ${c} | ${pairedCells(p)} |`);
    }
  }
  return out;
}
const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 0.01 ? x.toFixed(3) : x.toExponential(2));

/** Counts the provider's tokens and times its calls (the embedded model's numbers). */
class MeasuredProvider implements LlmProvider {
  readonly calls: Array<{ ms: number; promptTokens: number; completionTokens: number; ok: boolean }> = [];
  constructor(private readonly inner: LlmProvider) {}
  get description(): string {
    return this.inner.description;
  }
  get contextTokens(): number | undefined {
    return this.inner.contextTokens;
  }
  async complete(r: CompletionRequest, signal: AbortSignal) {
    const started = performance.now();
    try {
      const result = await this.inner.complete(r, signal);
      this.calls.push({ ms: performance.now() - started, promptTokens: result.promptTokens, completionTokens: result.completionTokens, ok: true });
      return result;
    } catch (error) {
      this.calls.push({ ms: performance.now() - started, promptTokens: 0, completionTokens: 0, ok: false });
      throw error;
    }
  }
  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}

async function main(): Promise<void> {
  const seeds = argument('seeds', 5);
  const budget = argument('budget', 25);
  const fi = process.argv.indexOf('--functions');
  const functions = [braninTask, hartmann6Task].filter((f) => fi < 0 || process.argv[fi + 1].split(',').includes(f.name));
  const warnings: string[] = [];
  const quietLogger = { warn: (_f: Record<string, unknown>, m: string) => warnings.push(m) };
  const server: ScriptedServer = await startScriptedServer(adviserScript(braninTask, 'good', 0));
  const provider = new GuardedProvider(new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, model: 'scripted', apiKey: 'bench' }), {
    retries: 0,
    backoffMs: 0,
    maxConcurrent: 1,
    cacheEntries: 0,
  });
  const advisor = new LlmAdvisor({ providerFor: () => provider, logger: quietLogger });
  const results: Record<string, Record<Arm, RunResult[]>> = {};
  const started = Date.now();
  for (const f of functions) {
    results[f.name] = Object.fromEntries(ALL_ARMS.map((a) => [a, []])) as unknown as Record<Arm, RunResult[]>;
    for (let s = 1; s <= seeds; s++) {
      for (const arm of ARMS) {
        if (arm !== 'plain') server.setScript(adviserScript(f, quality(arm), mixSeed(s, 77)));
        results[f.name][arm].push(await runStudy(f, arm, s, budget, arm === 'plain' ? undefined : advisor));
      }
      process.stderr.write(`${f.name} seed ${s} done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    }
  }
  await server.close();

  const lines: string[] = [];
  lines.push('# LLM assistance benchmark (issue 6)', '');
  lines.push(`Command: \`npm run build && node dist/bench/src/llm.js ${process.argv.slice(2).join(' ')}\` — ${new Date().toISOString()}, ${seeds} seeds, 1 suggestion a call.`, '');
  lines.push('Simple regret (best value found − global minimum), median over seeds (mean in brackets). "good": a scripted');
  lines.push('OpenAI-compatible server proposes points within 3 % of each range around the known minimisers; "misleading":');
  lines.push('the same around the worst region. Real `openai` client over loopback HTTP, real LlmAdvisor, GP_BANDIT called directly.');
  lines.push('The warm start supplies half the initial design by default (3 of 5 trials on Branin, 4 of 7 on Hartmann-6), Halton');
  lines.push('the rest; "-whole" rows are the ablation where it supplies all of it (llm.warm_start_trials = design size);');
  lines.push('"-warmonly" rows have the warm start but no candidate sampling after it. After the warm start, each LLM');
  lines.push('candidate is scored by the acquisition as proposed and also used as an extra L-BFGS start; "LLM-sourced" counts');
  lines.push('trials that came from either (the raw proposal or the acquisition maximum refined from it).', '');
  lines.push(`| function | arm | ${CHECKPOINTS.map((c) => `regret @${c}`).join(' | ')} | LLM-sourced trials | tokens / study |`);
  lines.push(`|---|---|${CHECKPOINTS.map(() => '---:').join('|')}|---:|---:|`);
  const summary: Record<string, unknown> = {};
  for (const f of functions) {
    for (const arm of ARMS) {
      const runs = results[f.name][arm];
      const cells = CHECKPOINTS.filter((c) => c <= budget).map((c) => {
        const at = runs.map((r) => r.regret[c - 1]);
        return `${fmt(median(at))} (${fmt(mean(at))})`;
      });
      lines.push(`| ${f.name} | ${arm} | ${cells.join(' | ')} | ${fmt(mean(runs.map((r) => r.llmTrials)))} | ${Math.round(mean(runs.map((r) => r.tokens)))} |`);
      summary[`${f.name}/${arm}`] = Object.fromEntries(CHECKPOINTS.filter((c) => c <= budget).map((c) => [c, runs.map((r) => r.regret[c - 1])]));
    }
  }
  lines.push('');
  lines.push(...pairedTable(functions.map((f) => f.name), results, budget));
  lines.push('');
  lines.push('Bars: good advice clearly lowers early regret; misleading advice leaves regret at budget within 10 % of plain GP.', '');
  for (const f of functions) {
    const at = (arm: Arm, c: number): number => median(results[f.name][arm].map((r) => r.regret[Math.min(c, budget) - 1]));
    const bar = pairedAt(results[f.name].misleading, results[f.name].plain, budget, mixSeed(budget, f.name.length));
    lines.push(
      `- ${f.name}: good vs plain at 5 / 10: ${fmt(at('good', 5))} vs ${fmt(at('plain', 5))} / ${fmt(at('good', 10))} vs ${fmt(at('plain', 10))}; ` +
        `misleading vs plain at ${budget}: ${fmt(at('misleading', budget))} vs ${fmt(at('plain', budget))}, paired median Δ log10 ${bar.medianDelta.toFixed(3)} ` +
        `[${bar.deltaCi[0].toFixed(3)}, ${bar.deltaCi[1].toFixed(3)}], ratio of medians ${bar.ratio.toFixed(2)} [${bar.ratioCi[0].toFixed(2)}, ${bar.ratioCi[1].toFixed(2)}]: ${bar.verdict}.`,
    );
  }
  lines.push('', `Advisor warnings during the scripted runs: ${warnings.length}${warnings.length ? ` (first: ${warnings[0]})` : ''}.`, '');

  // The embedded model: tokens and latency per suggestion (one Branin study, warm start and sampling).
  const modelPath = path.join(sharedModelsDir(), 'stories260K.gguf');
  lines.push('## Embedded model (node-llama-cpp, stories260K.gguf, CPU, 1 thread)', '');
  if (process.argv.includes('--no-local')) {
    lines.push('Not measured in this run (--no-local).');
  } else if (!existsSync(modelPath)) {
    lines.push(`Not measured: ${modelPath} is absent.`);
  } else {
    const local = new MeasuredProvider(new GuardedProvider(new LocalGgufProvider({ modelPath, contextSize: 2048 }), { retries: 0, backoffMs: 0, maxConcurrent: 1, cacheEntries: 0 }));
    const localWarnings: string[] = [];
    const localAdvisor = new LlmAdvisor({ providerFor: () => local, logger: { warn: (_f, m) => localWarnings.push(m) } });
    const localRun = await runStudy(braninTask, 'local', 1, 15, localAdvisor);
    await local.close();
    const ok = local.calls.filter((c) => c.ok);
    const ms = local.calls.map((c) => c.ms);
    lines.push(`15 suggestions on Branin (5 warm start, 10 candidate sampling), ${local.calls.length} model calls, ${ok.length} answered in time (20 s timeout).`, '');
    lines.push('| per model call | median | p90 | max |', '|---|---:|---:|---:|');
    const q = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
    lines.push(`| latency (ms, incl. worker round trip; first call loads the model) | ${fmt(median(ms))} | ${fmt(q(ms, 0.9))} | ${fmt(Math.max(...ms))} |`);
    if (ok.length > 0) {
      lines.push(`| prompt tokens | ${median(ok.map((c) => c.promptTokens))} | ${q(ok.map((c) => c.promptTokens), 0.9)} | ${Math.max(...ok.map((c) => c.promptTokens))} |`);
      lines.push(`| completion tokens | ${median(ok.map((c) => c.completionTokens))} | ${q(ok.map((c) => c.completionTokens), 0.9)} | ${Math.max(...ok.map((c) => c.completionTokens))} |`);
    }
    lines.push('', `Advice latency per suggestion (whole propose(), ms): median ${fmt(median(localRun.adviceMs))}, max ${fmt(Math.max(...localRun.adviceMs))}. Tokens for the study: ${localRun.tokens}. Trials that came from the model: ${localRun.llmTrials} of 15; propose() calls that ended in a warning: ${localWarnings.length} (the model writes stories, not hyperparameters: its values are clamped or refused).`);
    summary.local = { calls: local.calls, adviceMs: localRun.adviceMs, tokens: localRun.tokens, llmTrials: localRun.llmTrials, warnings: localWarnings };
  }
  const text = lines.join('\n') + '\n';
  process.stdout.write(text);
  const dir = path.join(projectRoot(), 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${OUT_NAME}.md`), text);
  writeFileSync(path.join(dir, `${OUT_NAME}.json`), JSON.stringify({ seeds, budget, summary }, null, 1));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
