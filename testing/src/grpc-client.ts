/** A tiny grpc-js client for hpo.v1.StudyService, generated from the .proto at run time (what any
 *  dynamic client does): promise-returning calls, optional bearer key, status errors kept intact. */
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { repoRoot } from './repo-paths';

const PROTO_ROOT = path.join(repoRoot(), 'proto');

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

export type Call = (request: object, options?: { deadlineMs?: number }) => Promise<any>;

export interface StudyClient {
  CreateStudy: Call;
  GetStudy: Call;
  ListStudies: Call;
  DeleteStudy: Call;
  SuggestTrials: Call;
  ReportIntermediate: Call;
  CompleteTrial: Call;
  FailTrial: Call;
  AddTrials: Call;
  GetTrial: Call;
  ListTrials: Call;
  ListOptimalTrials: Call;
  StopTrial: Call;
  Heartbeat: Call;
  close(): void;
  raw: grpc.Client;
}

export function loadHpoPackage(): any {
  const def = protoLoader.loadSync(['hpo/v1/study.proto', 'hpo/v1/study_service.proto'], LOADER_OPTIONS);
  return grpc.loadPackageDefinition(def);
}

export function createStudyClient(address: string, apiKey?: string, credentials = grpc.credentials.createInsecure()): StudyClient {
  const pkg = loadHpoPackage();
  const client = new pkg.hpo.v1.StudyService(address, credentials) as grpc.Client & Record<string, Function>;
  const methods = [
    'CreateStudy', 'GetStudy', 'ListStudies', 'DeleteStudy', 'SuggestTrials', 'ReportIntermediate', 'CompleteTrial',
    'FailTrial', 'AddTrials', 'GetTrial', 'ListTrials', 'ListOptimalTrials', 'StopTrial', 'Heartbeat',
  ];
  const out: Record<string, unknown> = { raw: client, close: () => client.close() };
  for (const m of methods) {
    out[m] = (request: object, options: { deadlineMs?: number } = {}) =>
      new Promise((resolve, reject) => {
        const md = new grpc.Metadata();
        if (apiKey !== undefined) md.set('authorization', `Bearer ${apiKey}`);
        const deadline = new Date(Date.now() + (options.deadlineMs ?? 30_000));
        client[m](request, md, { deadline }, (err: grpc.ServiceError | null, res: unknown) => (err ? reject(err) : resolve(res)));
      });
  }
  return out as unknown as StudyClient;
}

/** The status code a rejected call ended with (fails the test if it did not reject). */
export async function statusOf(p: Promise<unknown>): Promise<{ code: grpc.status; details: string }> {
  const { code, details } = await failureOf(p);
  return { code, details };
}

/** statusOf with the trailing metadata too (retry-after-ms hints); kept apart so that tests comparing
 *  statusOf's { code, details } with toEqual do not see the transport's date and content-type. */
export async function failureOf(p: Promise<unknown>): Promise<{ code: grpc.status; details: string; metadata: grpc.Metadata }> {
  try {
    await p;
  } catch (e) {
    const err = e as grpc.ServiceError;
    return { code: err.code, details: err.details, metadata: err.metadata };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const Status = grpc.status;
