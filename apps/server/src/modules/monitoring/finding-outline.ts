// The "after" picture of a finding with its changed areas outlined: a red frame around the change
// that persisted and thinner orange frames around the other changed areas of that snapshot, drawn
// over the stored (already masked) picture, so the grid worker sees at once what to look for.
import sharp from 'sharp';
import type { NormalisedBox } from './detection/change-detector.ts';

export async function outlineChanges(after: Buffer, boxes: readonly NormalisedBox[]): Promise<Buffer> {
  const meta = await sharp(after).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const stroke = Math.max(2, Math.round(width / 320));
  const rects = boxes.slice(0, 16).map((box, i) => {
    const x = Math.round(box.x * width);
    const y = Math.round(box.y * height);
    const w = Math.max(1, Math.round(box.width * width));
    const h = Math.max(1, Math.round(box.height * height));
    const colour = i === 0 ? '#ff2a2a' : '#ffa51f';
    const thickness = i === 0 ? stroke * 2 : stroke;
    return `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="${colour}" stroke-width="${thickness}"/>`;
  });
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${rects.join('')}</svg>`);
  return sharp(after)
    .composite([{ input: svg, top: 0, left: 0 }])
    .jpeg({ quality: 85 })
    .toBuffer();
}
