/* The real server (from dist/) with a scripted CandidateAdvisor, for the advisor e2e test. Plain
 * CommonJS run by node, because Jest cannot load Nest 12 (ESM) in-process. Each propose() call is
 * appended as a JSON line to HPO_TEST_ADVISOR_LOG. HPO_TEST_ADVISOR=throw makes every call fail;
 * otherwise it proposes count configurations and reports 100 tokens. */
const fs = require('node:fs');
const path = require('node:path');
const { startServer, serverOptionsFromEnv } = require(path.resolve(__dirname, '../../../../dist/apps/server/src/main.js'));

const logFile = process.env.HPO_TEST_ADVISOR_LOG;
const advisor = {
  async propose(request) {
    fs.appendFileSync(
      logFile,
      JSON.stringify({
        purpose: request.purpose,
        count: request.count,
        tenantId: request.tenantId,
        studyId: request.studyId,
        tokensUsedSoFar: request.tokensUsedSoFar,
        trials: request.study.trials.length,
      }) + '\n',
    );
    if (process.env.HPO_TEST_ADVISOR === 'throw') throw new Error('scripted advisor failure');
    const candidates = Array.from({ length: request.count }, (_, k) => ({
      parameters: { learning_rate: 0.001 * (k + 1 + request.study.trials.length), layers: 3, optimizer: 'adam' },
      reason: 'llm warm start (scripted)',
    }));
    // An invalid proposal must be dropped by the server, never reach the policy.
    candidates.unshift({ parameters: { learning_rate: 7, layers: 3, optimizer: 'adam' }, reason: 'out of range' });
    return { candidates, tokensUsed: 100 };
  },
};

startServer({ ...serverOptionsFromEnv(), logDestination: 2, candidateAdvisor: advisor }).then(
  (server) => {
    process.stdout.write(JSON.stringify({ listening: server.address, port: server.port }) + '\n');
    const stop = () => server.close().then(() => process.exit(0), () => process.exit(1));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
  (error) => {
    process.stderr.write(`advisor server failed to start: ${error && error.stack}\n`);
    process.exit(1);
  },
);
