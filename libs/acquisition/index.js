// Runtime entry of @hpo/acquisition: the compiled sources (npm run build). A file, not a "main" path, because
// node_modules/@hpo/acquisition is a symlink and Node resolves "main" before following it.
module.exports = require('../../dist/libs/acquisition/src/index.js');
