/** Nest's gRPC transport, remembering the port it actually bound (Nest discards it, and port 0 means
 *  "any free port", which tests and embedded uses need to know). Graceful close with a deadline. */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { GrpcOptions, ServerGrpc } from '../nest';
import { guardService } from './request-decoding';

export class BoundPortServerGrpc extends ServerGrpc {
  boundPort = 0;

  constructor(private readonly grpcOptions: GrpcOptions['options']) {
    super(grpcOptions);
  }

  override async createClient(): Promise<Server> {
    const o = this.grpcOptions;
    // Nest's own createClient adds the keepalive settings; this override must too, or they are lost.
    const channelOptions: Record<string, unknown> = { ...this.getKeepaliveOptions(), ...(o.channelOptions ?? {}) };
    if (o.maxSendMessageLength) channelOptions['grpc.max_send_message_length'] = o.maxSendMessageLength;
    if (o.maxReceiveMessageLength) channelOptions['grpc.max_receive_message_length'] = o.maxReceiveMessageLength;
    if (o.maxMetadataSize) channelOptions['grpc.max_metadata_size'] = o.maxMetadataSize;
    const server = new Server(channelOptions);
    // Every service added (StudyService by Nest, health and reflection) answers undecodable requests
    // and unstorable text with INVALID_ARGUMENT (request-decoding.ts).
    const addService = server.addService.bind(server);
    server.addService = (service, implementation) => addService(...guardService(service, implementation));
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(o.url ?? '127.0.0.1:50051', (o.credentials as ServerCredentials) ?? ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(explainBindError(error, o.url ?? '127.0.0.1:50051')) : resolve(port),
      ),
    );
    return server;
  }

  /** Stops accepting calls, lets in-flight ones finish, and forces the rest after `graceMs`. */
  async shutdownGracefully(graceMs: number): Promise<void> {
    const server = this.grpcClient as Server | null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, graceMs);
      timer.unref();
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** grpc-js reports a busy port as "No address added out of total 1 resolved errors: [listen EADDRINUSE
 *  …]"; a person needs the port named and what to do. */
function explainBindError(error: Error, url: string): Error {
  if (!/EADDRINUSE/.test(error.message)) return error;
  const colon = url.lastIndexOf(':');
  return new Error(
    `port ${url.slice(colon + 1)} on ${url.slice(0, colon)} is already in use (another \`hpo serve\`?): stop it, or choose another --port (0: any free port)`,
  );
}
