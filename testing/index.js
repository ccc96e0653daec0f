// Runtime entry of @hpo/testing: the compiled sources (npm run build). A file, not a "main" path, because
// node_modules/@hpo/testing is a symlink and Node resolves "main" before following it.
module.exports = require('../dist/testing/src/index.js');
