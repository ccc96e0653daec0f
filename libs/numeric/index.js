// Runtime entry of @hpo/numeric: the compiled sources (npm run build). A file, not a "main" path, because
// node_modules/@hpo/numeric is a symlink and Node resolves "main" before following it.
module.exports = require('../../dist/libs/numeric/src/index.js');
