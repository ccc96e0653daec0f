/** The SDK takes enum names in any letter case (as JSON and JavaScript write them) and refuses anything
 *  else before sending, quoting the caller's text: over a real `hpo serve`. */
import { HpoClient, HpoClientError, StudyConfig } from '../src';
import { ServeProcess, startServe } from './support/hpo-serve';

describe('enum names in the SDK', () => {
  let server: ServeProcess;
  let client: HpoClient;
  beforeAll(async () => {
    server = await startServe();
    client = new HpoClient({ address: server.address });
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  // As parsed from a JSON file: no TypeScript to catch the letter case.
  const fromJson = (text: string): StudyConfig => JSON.parse(text) as StudyConfig;

  it("stores scale 'log' as LOG and goal 'maximize' as MAXIMIZE (never a silent default)", async () => {
    const study = await client.createStudy({
      displayName: 'lower-case',
      config: fromJson(
        '{"parameters": [{"name": "lr", "type": "double", "min": 0.0001, "max": 0.1, "scale": "log"}, {"name": "opt", "type": "Categorical", "categories": ["sgd", "adam"]}],' +
          ' "metrics": [{"name": "acc", "goal": "maximize"}], "algorithm": "quasi_random_search", "earlyStopping": {"mode": "median"}}',
      ),
      ifExists: 'return_existing' as 'RETURN_EXISTING',
    });
    expect(study.config.parameters[0]).toEqual({ name: 'lr', type: 'DOUBLE', min: 0.0001, max: 0.1, scale: 'LOG' });
    expect(study.config.parameters[1].type).toBe('CATEGORICAL');
    expect(study.config.metrics[0].goal).toBe('MAXIMIZE');
    expect(study.config.algorithm).toBe('QUASI_RANDOM_SEARCH');
    expect(study.config.earlyStopping.mode).toBe('MEDIAN');
    // Suggestions are drawn on the log scale: the stored config is what the server searches.
    const stored = await client.getStudy(study.name);
    expect(stored.config.parameters[0].scale).toBe('LOG');
    expect((await client.allTrials(study.name, ['succeeded' as 'SUCCEEDED'])).length).toBe(0);
  });

  it.each([
    ['type', '{"name": "x", "type": "DOUBEL", "min": 0, "max": 1}', 'acc', 'config.parameters[0].type: "DOUBEL" is not one of DOUBLE, INTEGER, DISCRETE, CATEGORICAL'],
    ['scale', '{"name": "x", "type": "DOUBLE", "min": 0.1, "max": 1, "scale": "logarithmic"}', 'acc', 'config.parameters[0].scale: "logarithmic" is not one of LINEAR, LOG'],
    ['goal', '{"name": "x", "type": "DOUBLE", "min": 0, "max": 1}', 'maximise', 'config.metrics[0].goal: "maximise" is not one of MAXIMIZE, MINIMIZE'],
  ])('refuses a misspelt %s quoting it and the allowed names, and creates nothing', async (_field, parameter, goal, message) => {
    const config = fromJson(`{"parameters": [${parameter}], "metrics": [{"name": "acc", "goal": "${goal === 'acc' ? 'MAXIMIZE' : goal}"}]}`);
    const err = (await client.createStudy({ displayName: `bad-${_field}`, config }).catch((e: unknown) => e)) as HpoClientError;
    expect(err).toBeInstanceOf(HpoClientError);
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.details).toBe(`${message} (names are case-insensitive)`);
    expect((await client.listStudies()).studies.map((s) => s.displayName)).not.toContain(`bad-${_field}`);
  });

  it('refuses an unknown trial state filter', async () => {
    const study = await client.createStudy({ displayName: 'states', config: fromJson('{"parameters": [{"name": "x", "type": "DOUBLE", "min": 0, "max": 1}], "metrics": [{"name": "a", "goal": "MINIMIZE"}]}') });
    const err = (await client.allTrials(study.name, ['DONE' as 'SUCCEEDED']).catch((e: unknown) => e)) as HpoClientError;
    expect(err.details).toMatch(/^states\[0\]: "DONE" is not one of REQUESTED, ACTIVE, PAUSED, STOPPING, SUCCEEDED, INFEASIBLE, FAILED/);
  });
});
