// Painting a synthetic scene costs tens to hundreds of milliseconds of CPU a picture, and the demo
// county paints the same week of pictures on every load: every first start in demo mode, and the
// many tests that load the demo, each in a process of its own. A picture painted once is kept in
// the OS temp folder, named by a hash of all that decides its bytes: the painter's own source
// files, sharp's versions (its JPEG encoder), the scene's layout and structure, the snapshot's
// spec and the size. A changed painter or scene is a new name, so a kept picture is always the one
// painting would make (painting is deterministic: scene-painter.ts). A picture that cannot be
// kept (read-only temp folder, painter sources not beside this file) is painted each time.
//
// Used by the demo (monitoring.demo.ts) and by tests that push painted scenes; the detector's own
// tests and benches paint afresh, since what they measure or check includes painting.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { ownFile } from '../../../platform/own-files.ts';
import { renderBaseline, renderSnapshot, type SceneCase } from './scenes.ts';

const PAINTER_SOURCES = ['scenes', 'scene-layout', 'scene-painter'];
const FOLDER = path.join(os.tmpdir(), 'cunzhi-painted-scenes');

let painter: string | null | undefined;

/** A hash of the painter's sources and sharp's versions; null when the sources cannot be read. */
function painterVersion(): string | null {
  if (painter === undefined) {
    try {
      const hash = createHash('sha256').update(JSON.stringify(sharp.versions));
      for (const file of PAINTER_SOURCES) hash.update(fs.readFileSync(ownFile(import.meta.url, file)));
      painter = hash.digest('hex');
    } catch {
      painter = null;
    }
  }
  return painter;
}

/**
 * renderBaseline (index −1) or renderSnapshot(index) of the case, painted once per machine: the
 * same JPEG bytes as painting it now.
 */
export async function paintedScene(c: SceneCase, index: number, width: number, height: number): Promise<Buffer> {
  const paint = () => (index < 0 ? renderBaseline(c, width, height) : renderSnapshot(c, index, width, height));
  const version = painterVersion();
  if (!version) return paint();
  const what =
    index < 0 ? { layout: c.layout, width, height } : { layout: c.layout, structure: c.structure, spec: c.snapshots[index], width, height };
  const name = createHash('sha256').update(version).update(JSON.stringify(what)).digest('hex');
  const file = path.join(FOLDER, `${name}.jpg`);
  try {
    return await fs.promises.readFile(file);
  } catch {
    // Not painted on this machine yet.
  }
  const picture = await paint();
  try {
    await fs.promises.mkdir(FOLDER, { recursive: true });
    // Written aside and renamed: a reader never sees half a picture, and two writers write the same bytes.
    const aside = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await fs.promises.writeFile(aside, picture);
    await fs.promises.rename(aside, file);
  } catch {
    // Not kept: painted again next time.
  }
  return picture;
}
