// Runtime entry of @hpo/core: the compiled sources (npm run build). A file, not a "main" path, because
// node_modules/@hpo/core is a symlink and Node resolves "main" before following it.
module.exports = require('../../dist/libs/core/src/index.js');
