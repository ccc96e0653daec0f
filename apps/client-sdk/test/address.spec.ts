/** Server addresses as people write them: normalised to what grpc-js dials, or refused naming the
 *  accepted forms (and a real call through a normalised "localhost" and "http://" address). */
import { HpoClient, HpoClientError } from '../src';
import { ACCEPTED_ADDRESS_FORMS, parseServerAddress } from '../src/address';
import { ServeProcess, startServe } from './support/hpo-serve';

describe('server address forms', () => {
  it.each([
    ['localhost', 'localhost:50051', false],
    ['127.0.0.1:7000', '127.0.0.1:7000', false],
    ['  hpo.internal  ', 'hpo.internal:50051', false],
    ['http://hpo.internal:8443', 'hpo.internal:8443', false],
    ['http://localhost:9000/', 'localhost:9000', false],
    ['https://hpo.example.com', 'hpo.example.com:50051', true],
    ['[::1]:7000', '[::1]:7000', false],
    ['[::1]', '[::1]:50051', false],
    ['::1', '[::1]:50051', false],
    ['dns:///hpo.internal:7000', 'dns:///hpo.internal:7000', false],
    ['unix:/tmp/hpo.sock', 'unix:/tmp/hpo.sock', false],
  ])('%s -> %s', (input, target, tls) => {
    expect(parseServerAddress(input)).toEqual({ target, tls });
  });

  it.each([
    ['ftp://host:1', 'has scheme ftp://'],
    ['http://host:1/hpo', 'has a path (the service needs none)'],
    ['host:http', 'has a port that is not a number in 1..65535'],
    ['host:70000', 'has a port that is not a number in 1..65535'],
    ['', 'is empty'],
    ['under_score:1', 'has no valid host'],
  ])('refuses %j naming the accepted forms', (input, why) => {
    const err = (() => {
      try {
        return parseServerAddress(input);
      } catch (e) {
        return e;
      }
    })() as HpoClientError;
    expect(err).toBeInstanceOf(HpoClientError);
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.details).toBe(`server address ${JSON.stringify(input)} ${why}; accepted forms: ${ACCEPTED_ADDRESS_FORMS}`);
  });

  describe('against a running server', () => {
    let server: ServeProcess;
    beforeAll(async () => {
      server = await startServe();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('reaches it through http://localhost:PORT', async () => {
      const client = new HpoClient({ address: `http://localhost:${server.port}` });
      expect(client.address).toBe(`localhost:${server.port}`);
      expect((await client.listStudies()).studies).toEqual([]);
      client.close();
    });
  });
});
