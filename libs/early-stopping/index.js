// Runtime entry of @hpo/early-stopping: the compiled sources (npm run build). A file, not a "main" path, because
// node_modules/@hpo/early-stopping is a symlink and Node resolves "main" before following it.
module.exports = require('../../dist/libs/early-stopping/src/index.js');
