// Runtime entry of @hpo/llm: the compiled sources (npm run build). A file, not a "main" path, because
// node_modules/@hpo/llm is a symlink and Node resolves "main" before following it.
module.exports = require('../../dist/libs/llm/src/index.js');
