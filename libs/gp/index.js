// Runtime entry of @hpo/gp: the compiled sources (npm run build). A file, not a "main" path, because
// node_modules/@hpo/gp is a symlink and Node resolves "main" before following it.
module.exports = require('../../dist/libs/gp/src/index.js');
