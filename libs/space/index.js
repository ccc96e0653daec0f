// Runtime entry of @hpo/space: the compiled sources (npm run build). A file, not a "main" path, because
// node_modules/@hpo/space is a symlink and Node resolves "main" before following it.
module.exports = require('../../dist/libs/space/src/index.js');
