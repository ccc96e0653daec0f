/** HpoClient: one typed method per hpo.v1.StudyService RPC, with a deadline on every call, retries on
 *  UNAVAILABLE, Bearer-key metadata and optional TLS. */
import * as grpc from '@grpc/grpc-js';
import { authMetadata, channelCredentials, TlsOptions } from './credentials';
import { HpoClientError, toClientError } from './errors';
import { loadStudyServiceContract } from './proto';
import type { EnumNames } from './enum-names';
import { parseServerAddress } from './address';
import { DEFAULT_RETRY, RetryOptions, withRetries } from './retry';
import { Study } from './study';
import type {
  HeartbeatResult,
  MeasurementInput,
  ReportResult,
  StudyConfig,
  StudyInfo,
  SuggestResult,
  Trial,
  TrialInput,
  TrialState,
} from './types';
import {
  type Enum,
  enumOnTheWire,
  measurementToWire,
  specsByName,
  studyConfigToWire,
  studyFromWire,
  trialFromWire,
  trialInputToWire,
} from './wire';
import type { ReplyOf, RequestOf, RpcName } from './wire-types';

export interface HpoClientOptions {
  /** The server: "host:port", "host" (port 50051), "[::1]:port", "http://host:port", or "https://host:port"
   *  (TLS); $HPO_ADDRESS, else 127.0.0.1:50051. Other forms are refused with the accepted ones. */
  address?: string;
  /** The tenant's API key, sent as `authorization: Bearer <key>`; $HPO_API_KEY when omitted. */
  apiKey?: string;
  /** TLS: true for system roots, or CA / client certificate. Plain text when omitted. */
  tls?: TlsOptions | boolean;
  /** Deadline of one attempt of one call (default 30 s); per-call options override it. */
  timeoutMs?: number;
  /** Retry policy (merged into DEFAULT_RETRY); `false` disables retries. */
  retry?: Partial<RetryOptions> | false;
  /** Where hpo/v1/*.proto live; found from the repository or $HPO_PROTO_DIR when omitted. */
  protoDir?: string;
  /** Extra grpc-js channel options. */
  channelOptions?: grpc.ChannelOptions;
  /** grpc-js client interceptors (tracing, logging, fault injection in tests). */
  interceptors?: grpc.Interceptor[];
}

export interface CallOptions {
  timeoutMs?: number;
  retry?: Partial<RetryOptions> | false;
  signal?: AbortSignal;
}

export type StudyRef = string | { name: string };
export type TrialRef = string | { name: string };

const nameOf = (ref: StudyRef | TrialRef): string => (typeof ref === 'string' ? ref : ref.name);

/** grpc-js's own reconnect backoff starts at 1 s and grows to 120 s; retries with our shorter backoff
 *  would only meet a channel still waiting, so the channel reconnects on a similar schedule. */
const DEFAULT_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 5000,
};

type UnaryMethod = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, response: unknown) => void,
) => grpc.ClientUnaryCall;

export class HpoClient {
  readonly address: string;
  private readonly stub: grpc.Client;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly retry: RetryOptions | false;
  private readonly enums: EnumNames;
  /** Some call has reached the server: a refused connection now means it went away (a restart, worth
   *  retrying), not that it was never there. */
  private reachedServer = false;

  constructor(options: HpoClientOptions = {}) {
    const address = parseServerAddress(options.address ?? (process.env.HPO_ADDRESS || '127.0.0.1:50051'));
    this.address = address.target;
    this.apiKey = options.apiKey ?? (process.env.HPO_API_KEY || undefined);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry = options.retry === false ? false : { ...DEFAULT_RETRY, ...options.retry };
    const { ServiceClient, enums } = loadStudyServiceContract(options.protoDir);
    this.enums = enums;
    this.stub = new ServiceClient(this.address, channelCredentials(options.tls ?? address.tls), {
      ...DEFAULT_CHANNEL_OPTIONS,
      ...options.channelOptions,
      ...(options.interceptors ? { interceptors: options.interceptors } : {}),
    });
  }

  /** Closes the channel; calls in flight fail with CANCELLED. */
  close(): void {
    this.stub.close();
  }

  /** Resolves once the channel is connected, or rejects with UNAVAILABLE after `timeoutMs`. */
  waitForReady(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stub.waitForReady(Date.now() + timeoutMs, (err) =>
        err ? reject(new HpoClientError('UNAVAILABLE', err.message, 'waitForReady')) : resolve(),
      );
    });
  }

  /** One RPC with deadline, auth metadata and retries. `method` is the camelCase RPC name; request and
   *  reply are typed by the types generated from the .proto (src/wire-types.ts). */
  private async call<M extends RpcName>(method: M, request: RequestOf<M>, options: CallOptions = {}): Promise<ReplyOf<M>> {
    type T = ReplyOf<M>;
    const fn = (this.stub as unknown as Record<string, UnaryMethod>)[method];
    if (typeof fn !== 'function') throw new Error(`hpo.v1.StudyService has no RPC ${method}`);
    const retry = options.retry === false || this.retry === false ? false : { ...this.retry, ...options.retry };
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let attempts = 0;
    const once = (): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        attempts++;
        const onAbort = (): void => call.cancel();
        const call = fn.call(
          this.stub,
          request,
          authMetadata(this.apiKey),
          { deadline: Date.now() + timeoutMs },
          (err, response) => {
            options.signal?.removeEventListener('abort', onAbort);
            if (!err || err.code !== grpc.status.UNAVAILABLE) this.reachedServer = true;
            if (err) reject(toClientError(err, method, attempts));
            else resolve(response as T);
          },
        );
        options.signal?.addEventListener('abort', onAbort, { once: true });
      });
    try {
      // Nothing listening at an address never reached: the server is not running, and retrying for
      // seconds would only delay saying so (a worker started before its server sets waitForServer).
      const giveUp = (err: HpoClientError): boolean => !this.reachedServer && !(retry && retry.waitForServer) && isRefused(err);
      return retry ? await withRetries(once, retry, options.signal, giveUp) : await once();
    } catch (err) {
      const e = explainUnreachable(toClientError(err, method, attempts), this.address);
      throw new HpoClientError(e.code, e.details, e.method, e.metadata, attempts);
    }
  }

  // ---- studies ----

  /** CreateStudy. With ifExists 'RETURN_EXISTING' every worker may call it at start-up. */
  async createStudy(
    request: { displayName: string; config: StudyConfig; ifExists?: 'FAIL' | 'RETURN_EXISTING' },
    options?: CallOptions,
  ): Promise<Study> {
    const wire = await this.call(
      'createStudy',
      {
        displayName: request.displayName,
        config: studyConfigToWire(request.config, this.enums),
        ifExists: enumOnTheWire<Enum<RequestOf<'createStudy'>['ifExists']>>(this.enums, 'hpo.v1.CreateStudyRequest.IfExists', 'if_exists', request.ifExists, 'createStudy', 'IF_EXISTS_UNSPECIFIED'),
      },
      options,
    );
    return new Study(this, studyFromWire(wire));
  }

  /** GetStudy. `study` is a resource name ("studies/7"), or, as the CLI accepts, a display name
   *  (looked up among the caller's studies) or a bare id ("7"); an unknown one is NOT_FOUND. */
  async getStudy(study: StudyRef, options?: CallOptions): Promise<Study> {
    const ref = nameOf(study);
    if (ref.startsWith('studies/')) return new Study(this, studyFromWire(await this.call('getStudy', { name: ref }, options)));
    for await (const found of this.allStudies(100, options)) {
      if (found.displayName === ref) return found;
    }
    if (/^\d+$/.test(ref)) return this.getStudy(`studies/${ref}`, options);
    throw new HpoClientError('NOT_FOUND', `no study named "${ref}" (display name), and it is not a study name like "studies/7"`, 'getStudy');
  }

  /** One page of the caller's studies, newest first. */
  async listStudies(
    request: { pageSize?: number; pageToken?: string } = {},
    options?: CallOptions,
  ): Promise<{ studies: Study[]; nextPageToken: string }> {
    const wire = await this.call(
      'listStudies',
      { pageSize: request.pageSize ?? 0, pageToken: request.pageToken ?? '' },
      options,
    );
    return { studies: wire.studies.map((s) => new Study(this, studyFromWire(s))), nextPageToken: wire.nextPageToken };
  }

  /** Every study of the caller, page after page. */
  async *allStudies(pageSize = 100, options?: CallOptions): AsyncGenerator<Study> {
    let pageToken = '';
    do {
      const page = await this.listStudies({ pageSize, pageToken }, options);
      yield* page.studies;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  async deleteStudy(study: StudyRef, options?: CallOptions): Promise<void> {
    await this.call('deleteStudy', { name: nameOf(study) }, options);
  }

  // ---- trials ----

  async suggestTrials(
    request: { parent: StudyRef; count?: number; clientId: string },
    options?: CallOptions,
  ): Promise<SuggestResult> {
    const wire = await this.call(
      'suggestTrials',
      { parent: nameOf(request.parent), count: request.count ?? 1, clientId: request.clientId },
      options,
    );
    return { trials: wire.trials.map(trialFromWire), studyDone: wire.studyDone };
  }

  /** `clientId`, when given, must hold the trial: a client that lost it (lease expired, paused and
   *  resumed elsewhere) gets FAILED_PRECONDITION naming the holder (TrialLostError from TrialContext). */
  async reportIntermediate(
    request: { name: TrialRef; measurement: MeasurementInput; clientId?: string },
    options?: CallOptions,
  ): Promise<ReportResult> {
    const wire = await this.call(
      'reportIntermediate',
      { name: nameOf(request.name), measurement: measurementToWire(request.measurement), clientId: request.clientId ?? '' },
      options,
    );
    const decision = wire.decision === 'STOP' || wire.decision === 'PAUSE' ? wire.decision : 'CONTINUE';
    return { decision, reason: wire.reason, trial: trialFromWire(wire.trial ?? { name: nameOf(request.name) }) };
  }

  /** CompleteTrial: a final measurement (or none: the last intermediate one is used), or infeasible.
   *  `clientId`, when given, must hold the trial (as in reportIntermediate). */
  async completeTrial(
    request: { name: TrialRef; finalMeasurement?: MeasurementInput; infeasible?: boolean; infeasibleReason?: string; clientId?: string },
    options?: CallOptions,
  ): Promise<Trial> {
    const wire = await this.call(
      'completeTrial',
      {
        name: nameOf(request.name),
        finalMeasurement: request.finalMeasurement ? measurementToWire(request.finalMeasurement) : undefined,
        infeasible: request.infeasible ?? false,
        infeasibleReason: request.infeasibleReason ?? '',
        clientId: request.clientId ?? '',
      },
      options,
    );
    return trialFromWire(wire);
  }

  /** FailTrial: the trial ends FAILED with `reason` (the training code crashed or produced no usable
   *  value); the algorithm ignores it and its slot is handed out again. `clientId`, when given, must
   *  hold the trial. */
  async failTrial(request: { name: TrialRef; reason: string; clientId?: string }, options?: CallOptions): Promise<Trial> {
    const wire = await this.call(
      'failTrial',
      { name: nameOf(request.name), reason: request.reason, clientId: request.clientId ?? '' },
      options,
    );
    return trialFromWire(wire);
  }

  /** AddTrials. Numbers go on the wire as int_value for INTEGER parameters and double_value otherwise,
   *  so the study's space is fetched when `parameters` (the space) is not given. */
  async addTrials(
    request: { parent: StudyRef; trials: TrialInput[]; space?: StudyConfig['parameters'] },
    options?: CallOptions,
  ): Promise<Trial[]> {
    const space = request.space ?? (await this.getStudy(request.parent, options)).config.parameters;
    const specs = specsByName(space);
    const wire = await this.call(
      'addTrials',
      { parent: nameOf(request.parent), trials: request.trials.map((t) => trialInputToWire(t, specs)) },
      options,
    );
    return wire.trials.map(trialFromWire);
  }

  async getTrial(trial: TrialRef, options?: CallOptions): Promise<Trial> {
    return trialFromWire(await this.call('getTrial', { name: nameOf(trial) }, options));
  }

  async listTrials(
    request: { parent: StudyRef; pageSize?: number; pageToken?: string; states?: TrialState[] },
    options?: CallOptions,
  ): Promise<{ trials: Trial[]; nextPageToken: string }> {
    const wire = await this.call(
      'listTrials',
      {
        parent: nameOf(request.parent),
        pageSize: request.pageSize ?? 0,
        pageToken: request.pageToken ?? '',
        states: (request.states ?? []).map((s, i) => enumOnTheWire<TrialState>(this.enums, 'hpo.v1.Trial.State', `states[${i}]`, s, 'listTrials', 'STATE_UNSPECIFIED')),
      },
      options,
    );
    return { trials: wire.trials.map(trialFromWire), nextPageToken: wire.nextPageToken };
  }

  /** Every trial of a study, page after page. */
  async allTrials(parent: StudyRef, states?: TrialState[], options?: CallOptions): Promise<Trial[]> {
    const out: Trial[] = [];
    let pageToken = '';
    do {
      const page = await this.listTrials({ parent, pageSize: 1000, pageToken, states }, options);
      out.push(...page.trials);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return out;
  }

  async listOptimalTrials(parent: StudyRef, options?: CallOptions): Promise<Trial[]> {
    const wire = await this.call('listOptimalTrials', { parent: nameOf(parent) }, options);
    return wire.optimalTrials.map(trialFromWire);
  }

  async stopTrial(trial: TrialRef, options?: CallOptions): Promise<Trial> {
    return trialFromWire(await this.call('stopTrial', { name: nameOf(trial) }, options));
  }

  /** Extends the leases of `clientId`'s ACTIVE trials in `parent`, or of `trialName` only. */
  async heartbeat(
    request: { parent: StudyRef; clientId?: string; trialName?: string },
    options?: CallOptions,
  ): Promise<HeartbeatResult> {
    const wire = await this.call(
      'heartbeat',
      { parent: nameOf(request.parent), clientId: request.clientId ?? '', trialName: request.trialName ?? '' },
      options,
    );
    return {
      trialNames: wire.trialNames ?? [],
      stoppingTrialNames: wire.stoppingTrialNames ?? [],
      leaseExpiresAt: wire.leaseExpiresAt ?? 0,
    };
  }
}

export type { StudyInfo };

/** grpc-js's text for a refused connection ("No connection established. Last error: connect
 *  ECONNREFUSED 127.0.0.1:1. Resolution note: "). */
function isRefused(err: HpoClientError): boolean {
  return err.code === 'UNAVAILABLE' && /ECONNREFUSED/.test(err.details);
}

/** UNAVAILABLE for a server that is not there, said so that a person knows what to do. */
function explainUnreachable(err: HpoClientError, address: string): HpoClientError {
  if (err.code !== 'UNAVAILABLE') return err;
  let details: string | undefined;
  if (isRefused(err)) details = `no server at ${address} — is \`hpo serve\` running? (connection refused)`;
  else if (/Name resolution failed|ENOTFOUND|EAI_AGAIN/.test(err.details)) details = `cannot resolve the host of ${address} (${err.details.replace(/\s*Resolution note:\s*$/, '')})`;
  return details ? new HpoClientError(err.code, details, err.method, err.metadata, err.attempts) : err;
}
