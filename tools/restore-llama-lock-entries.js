// package-lock.json carries hand-written entries for the @node-llama-cpp/* platform packages (other OSes,
// CUDA, Vulkan) that this machine's npm registry does not serve; `npm install <pkg>` rewrites them (drops
// their "resolved" URLs), which breaks `npm ci` on those platforms. Run after any `npm install` to put
// them back from the committed lockfile:  node tools/restore-llama-lock-entries.js
const fs = require('fs'), cp = require('child_process');
const old = JSON.parse(cp.execSync('git show HEAD:package-lock.json', { maxBuffer: 1 << 28 }).toString());
const neu = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
let n = 0;
for (const [k, v] of Object.entries(old.packages)) {
  if (k.startsWith('node_modules/@node-llama-cpp/') && JSON.stringify(neu.packages[k]) !== JSON.stringify(v)) { neu.packages[k] = v; n++; }
}
fs.writeFileSync('package-lock.json', JSON.stringify(neu, null, 2) + '\n');
console.log(`restored ${n} @node-llama-cpp entries`);
