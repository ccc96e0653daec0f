// Links every npm workspace (package.json "workspaces") into node_modules/<its name>, as `npm install`
// does, when the link is missing: a clone whose node_modules predates a new workspace (e.g. @hpo/numeric)
// then still builds and runs without a full `npm ci`. Runs first in `npm run build`; does nothing when
// every link exists.
const fs = require('fs'), path = require('path');
const root = path.resolve(__dirname, '..');
const { workspaces = [] } = require(path.join(root, 'package.json'));
for (const pattern of workspaces) {
  const dirs = pattern.endsWith('/*')
    ? fs.readdirSync(path.join(root, pattern.slice(0, -2)), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(pattern.slice(0, -2), e.name))
    : [pattern];
  for (const dir of dirs) {
    const manifest = path.join(root, dir, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const link = path.join(root, 'node_modules', JSON.parse(fs.readFileSync(manifest, 'utf8')).name);
    if (fs.existsSync(link)) continue;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.relative(path.dirname(link), path.join(root, dir)), link, 'dir');
    console.log(`linked ${path.relative(root, link)} -> ${dir}`);
  }
}
