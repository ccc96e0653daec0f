// Marks the compiled `hpo` bin (package.json "bin") executable after tsc writes it. npm sets a bin's mode
// only when it links a package (npm ci, npm install, npm pack), and in a fresh clone `npm ci` runs before
// dist/ exists: the file tsc then writes is 0644, and `npx hpo` fails with "hpo: Permission denied" until
// some later npm command happens to link the project (a test order dependence that failed CI once).
const fs = require('fs'), path = require('path');
const root = path.resolve(__dirname, '..');
const { bin = {} } = require(path.join(root, 'package.json'));
for (const file of typeof bin === 'string' ? [bin] : Object.values(bin)) {
  const full = path.join(root, file);
  if (fs.existsSync(full)) fs.chmodSync(full, fs.statSync(full).mode | 0o111);
}
