/** grpc.health.v1.Health and server reflection answer (grpcurl, grpc_health_probe, Kubernetes). */
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { freshSqliteBackend, ServerProcess, startServerProcess } from '@hpo/testing';

const REFLECTION_PROTO = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto/grpc/reflection/v1/reflection.proto');

describe('health and reflection', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess(freshSqliteBackend().env);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reports SERVING for the server and for hpo.v1.StudyService', async () => {
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(healthProtoPath, { keepCase: true, enums: String })) as any;
    const health = new pkg.grpc.health.v1.Health(server.address, grpc.credentials.createInsecure());
    try {
      for (const service of ['', 'hpo.v1.StudyService']) {
        const res = await new Promise<any>((resolve, reject) => health.Check({ service }, (e: Error | null, r: any) => (e ? reject(e) : resolve(r))));
        expect(res.status).toBe('SERVING');
      }
    } finally {
      health.close();
    }
  });

  it('lists hpo.v1.StudyService and grpc.health.v1.Health through reflection', async () => {
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(REFLECTION_PROTO, { keepCase: true, enums: String })) as any;
    const reflection = new pkg.grpc.reflection.v1.ServerReflection(server.address, grpc.credentials.createInsecure());
    try {
      const services = await new Promise<string[]>((resolve, reject) => {
        const call = reflection.ServerReflectionInfo();
        call.on('data', (r: any) => {
          resolve(r.list_services_response.service.map((s: { name: string }) => s.name));
          call.end();
        });
        call.on('error', reject);
        call.write({ list_services: '' });
      });
      expect(services).toEqual(expect.arrayContaining(['hpo.v1.StudyService', 'grpc.health.v1.Health']));
      const file = await new Promise<any>((resolve, reject) => {
        const call = reflection.ServerReflectionInfo();
        call.on('data', (r: any) => {
          resolve(r);
          call.end();
        });
        call.on('error', reject);
        call.write({ file_containing_symbol: 'hpo.v1.StudyService' });
      });
      expect(file.file_descriptor_response.file_descriptor_proto.length).toBeGreaterThan(0);
    } finally {
      reflection.close();
    }
  });
});
