// The server as plain JavaScript: each TypeScript file of the server (and of the contracts it
// imports) becomes one JavaScript file in a `dist` folder beside its source folder, at the same
// depth, so that paths the server finds relative to its own files still hold. Run by `npm start`
// (and the care bench's server) so that the running server carries no TypeScript loader: tsx's
// loader runs on a thread of its own, about 33 MB of the server's memory (npm run bench, care).
//
// Files are transformed one by one (types removed; nothing is bundled or renamed), and their
// imports are pointed at the built files: `./x.ts` becomes `./x.js`, and `@cunzhi/contracts/x`
// the contracts' built `x.js`. Only what the server imports is built. It takes about a second.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Source folder → built folder. */
const FOLDERS = [
  ['apps/server/src', 'apps/server/dist'],
  ['apps/server/bench', 'apps/server/dist-bench'],
  ['packages/contracts/src', 'packages/contracts/dist'],
].map(([from, to]) => [path.join(root, from), path.join(root, to)]);

const CONTRACTS = path.join(root, 'packages/contracts/src');

function builtPath(source) {
  for (const [from, to] of FOLDERS) if (source.startsWith(`${from}${path.sep}`)) return path.join(to, path.relative(from, source));
  return undefined;
}

/** Where an import of `specifier` from `source` goes once both are built (undefined: leave it). */
function builtSpecifier(source, specifier) {
  let target;
  if (specifier.startsWith('@cunzhi/contracts/')) target = path.join(CONTRACTS, `${specifier.slice('@cunzhi/contracts/'.length)}.ts`);
  else if (specifier.startsWith('.') && specifier.endsWith('.ts')) target = path.resolve(path.dirname(source), specifier);
  else return undefined;
  const built = builtPath(target);
  const from = builtPath(source);
  if (!built || !from) throw new Error(`${path.relative(root, source)} imports ${specifier}, which is not built`);
  const relative = path.relative(path.dirname(from), built.replace(/\.ts$/, '.js')).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

// esbuild writes every import and export with double quotes.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)"([^"\n]+)"/g;

/** This build's own name: two builds at once (two test files, in one process or two) never share a folder. */
const BUILD = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/** Where a built file is written first: its folder's twin for this build (`dist.next-<pid>-<random>`). */
function beingBuilt(file) {
  for (const [, to] of FOLDERS) {
    if (file === to) return `${to}.next-${BUILD}`;
    if (file.startsWith(`${to}${path.sep}`)) return path.join(`${to}.next-${BUILD}`, path.relative(to, file));
  }
  throw new Error(`${file} is not in a built folder`);
}

/** Transforms one file and writes it; returns the sources it imports. */
async function buildFile(source) {
  const { code } = await transform(fs.readFileSync(source, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: path.relative(root, source),
  });
  const imports = [];
  const rewritten = code.replace(SPECIFIER, (whole, lead, specifier) => {
    const built = builtSpecifier(source, specifier);
    if (built === undefined) return whole;
    imports.push(
      specifier.startsWith('.') ? path.resolve(path.dirname(source), specifier) : path.join(CONTRACTS, `${specifier.slice(18)}.ts`),
    );
    return `${lead}"${built}"`;
  });
  const out = beingBuilt(builtPath(source).replace(/\.ts$/, '.js'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, rewritten);
  return imports;
}

/**
 * What the built server runs: its entry, the bench's server, and the modules worker threads load by
 * path (platform/own-files.ts): every `*.worker.ts`, and the detector the detection pool loads.
 * Everything they import is built with them, and nothing else (the command-line tools and tests
 * run from sources).
 */
const ENTRIES = [
  'apps/server/src/main.ts',
  'apps/server/bench/care-server.ts',
  'apps/server/bench/cases-server.ts',
  'apps/server/src/modules/monitoring/detection/change-detector.ts',
  ...fs
    .readdirSync(path.join(root, 'apps/server/src'), { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.worker.ts'))
    .map((file) => `apps/server/src/${file}`),
].map((file) => path.join(root, file));

export async function buildServer() {
  const started = performance.now();
  // Built beside the folders a running server may still load from (a worker thread starts, a
  // module is imported late), then put in their place: nobody finds a folder half written. A file
  // removed from the sources does not live on in the build.
  for (const [, to] of FOLDERS) fs.rmSync(beingBuilt(to), { recursive: true, force: true });
  const done = new Set();
  let wave = ENTRIES;
  while (wave.length > 0) {
    for (const file of wave) done.add(file);
    const imported = (await Promise.all(wave.map(buildFile))).flat();
    wave = [...new Set(imported)].filter((file) => !done.has(file));
  }
  for (const [, to] of FOLDERS) swapIn(beingBuilt(to), to);
  return { files: done.size, ms: performance.now() - started };
}

/**
 * Puts the built folder in place of the old one. The old one is first moved aside (a rename, which
 * one build at a time wins), so that another build swapping in at the same moment cannot leave a
 * folder half removed, or make this rename fail on a folder that is there again: then it tries again.
 */
function swapIn(built, to) {
  for (let attempt = 0; ; attempt++) {
    const aside = `${to}.old-${BUILD}-${attempt}`;
    try {
      fs.renameSync(to, aside);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    fs.rmSync(aside, { recursive: true, force: true });
    try {
      fs.renameSync(built, to);
      return;
    } catch (error) {
      // Another build's folder arrived in between: it goes aside on the next try.
      if (!['ENOTEMPTY', 'EEXIST'].includes(error.code) || attempt >= 5) throw error;
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files, ms } = await buildServer();
  process.stdout.write(`Built the server: ${files} files in ${ms.toFixed(0)} ms\n`);
}
