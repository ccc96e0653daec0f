/** Loads the hpo.v1 contract from the .proto files at run time (no generated code runs: the .proto is
 *  the single source of truth for every client; the wire types the compiler checks against are
 *  generated from the same files, src/wire-types.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { EnumNames, enumNamesOf } from './enum-names';

const SERVICE_FILE = path.join('hpo', 'v1', 'study_service.proto');

/** The decoding the SDK's wire mapping (src/wire.ts) expects. */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  oneofs: true,
};

/** Finds the directory that holds hpo/v1/*.proto: `explicit`, then $HPO_PROTO_DIR, then a `proto/`
 *  folder in this file's ancestors (the repository, from src/ or from dist/). */
export function findProtoDir(explicit?: string): string {
  const candidates: string[] = [];
  if (explicit) candidates.push(explicit);
  if (process.env.HPO_PROTO_DIR) candidates.push(process.env.HPO_PROTO_DIR);
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'proto'));
    if (path.dirname(dir) === dir) break;
  }
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, SERVICE_FILE)));
  if (!found) {
    throw new Error(`cannot find ${SERVICE_FILE}; looked in ${candidates.slice(0, 3).join(', ')} ...; set protoDir or HPO_PROTO_DIR`);
  }
  return found;
}

export interface StudyServiceContract {
  /** The generic client constructor of hpo.v1.StudyService. */
  ServiceClient: grpc.ServiceClientConstructor;
  /** Every enum's value names, for parsing what callers write (src/enum-names.ts). */
  enums: EnumNames;
}

const cache = new Map<string, StudyServiceContract>();

export function loadStudyServiceContract(protoDir?: string): StudyServiceContract {
  const dir = findProtoDir(protoDir);
  const cached = cache.get(dir);
  if (cached) return cached;
  const definition = protoLoader.loadSync(path.join(dir, SERVICE_FILE), { ...PROTO_LOADER_OPTIONS, includeDirs: [dir] });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    hpo: { v1: { StudyService: grpc.ServiceClientConstructor } };
  };
  const contract = { ServiceClient: loaded.hpo.v1.StudyService, enums: enumNamesOf(definition) };
  cache.set(dir, contract);
  return contract;
}

/** The generic client constructor of hpo.v1.StudyService. */
export function loadStudyServiceClient(protoDir?: string): grpc.ServiceClientConstructor {
  return loadStudyServiceContract(protoDir).ServiceClient;
}
