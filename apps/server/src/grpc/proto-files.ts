/** Where the .proto contract lives and how it is loaded (the same options as every client). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Options } from '@grpc/proto-loader';

/** <repo>/proto, found from both src/ (ts) and dist/ (compiled) locations. */
export function protoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'proto', 'hpo', 'v1', 'study_service.proto');
    if (fs.existsSync(candidate)) return path.join(dir, 'proto');
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find proto/hpo/v1/study_service.proto above ${__dirname}`);
}

export const PROTO_FILES = ['hpo/v1/study.proto', 'hpo/v1/study_service.proto'];

export function loaderOptions(): Options {
  return {
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [protoRoot()],
  };
}
