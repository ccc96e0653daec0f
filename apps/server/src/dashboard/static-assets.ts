/** The dashboard's built front end (apps/server/dashboard-ui, bundled by esbuild into
 *  dist/apps/server/dashboard-ui/): read once at start-up and served from memory; no CDN. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  /** The body gzipped once at start-up (text assets), for clients that accept it. */
  gzip?: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

/** dist/apps/server/dashboard-ui next to the compiled server, also when the server runs from sources. */
export function dashboardAssetsDir(): string {
  const besideCompiled = path.resolve(__dirname, '../../dashboard-ui');
  if (fs.existsSync(path.join(besideCompiled, 'index.html')) && fs.existsSync(path.join(besideCompiled, 'app.js'))) return besideCompiled;
  return path.resolve(__dirname, '../../../../dist/apps/server/dashboard-ui');
}

export function loadStaticAssets(dir = dashboardAssetsDir()): Map<string, StaticAsset> {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`the dashboard front end is not built (${dir}/index.html is missing): run \`npm run build\``);
  }
  const assets = new Map<string, StaticAsset>();
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (!fs.statSync(file).isFile()) continue;
    const type = CONTENT_TYPES[path.extname(name)];
    if (!type) continue;
    const body = fs.readFileSync(file);
    assets.set(`/${name}`, { body, contentType: type, gzip: /^(text\/|application\/json|image\/svg)/.test(type) ? zlib.gzipSync(body, { level: 9 }) : undefined });
  }
  return assets;
}
