/** A study handle: the study's data as the server returned it, and the calls that act on it. */
import type { CallOptions, HpoClient } from './client';
import { optimize, OptimizeOptions, OptimizeResult, TrainingFunction } from './optimize';
import type { StudyInfo, SuggestResult, Trial, TrialCounts, TrialInput, TrialState } from './types';

export class Study implements StudyInfo {
  readonly name: string;
  readonly displayName: string;
  readonly config: StudyInfo['config'];
  readonly state: StudyInfo['state'];
  readonly createTime: number;
  readonly trialCounts: TrialCounts;
  readonly llmTokensUsed: number;

  constructor(
    readonly client: HpoClient,
    info: StudyInfo,
  ) {
    this.name = info.name;
    this.displayName = info.displayName;
    this.config = info.config;
    this.state = info.state;
    this.createTime = info.createTime;
    this.trialCounts = info.trialCounts;
    this.llmTokensUsed = info.llmTokensUsed;
  }

  /** The study id ("7" of "studies/7"). */
  get id(): string {
    return this.name.slice('studies/'.length);
  }

  /** The study's data (without the client), e.g. for JSON output. */
  toJSON(): StudyInfo {
    const { name, displayName, config, state, createTime, trialCounts, llmTokensUsed } = this;
    return { name, displayName, config, state, createTime, trialCounts, llmTokensUsed };
  }

  /** The study as it is now (fresh trial counts and state). */
  refresh(options?: CallOptions): Promise<Study> {
    return this.client.getStudy(this.name, options);
  }

  suggest(clientId: string, count = 1, options?: CallOptions): Promise<SuggestResult> {
    return this.client.suggestTrials({ parent: this.name, count, clientId }, options);
  }

  trials(states?: TrialState[], options?: CallOptions): Promise<Trial[]> {
    return this.client.allTrials(this.name, states, options);
  }

  optimalTrials(options?: CallOptions): Promise<Trial[]> {
    return this.client.listOptimalTrials(this.name, options);
  }

  addTrials(trials: TrialInput[], options?: CallOptions): Promise<Trial[]> {
    return this.client.addTrials({ parent: this.name, trials, space: this.config.parameters }, options);
  }

  delete(options?: CallOptions): Promise<void> {
    return this.client.deleteStudy(this.name, options);
  }

  /** Runs `train` on trials of this study until `options.trials` are finished (see optimize.ts). */
  optimize(train: TrainingFunction, options?: OptimizeOptions): Promise<OptimizeResult> {
    return optimize(this.client, this, train, options);
  }
}
