// The moderator drags boxes over faces and number plates; the boxes go to the server as fractions
// of the picture, and the published copy is blurred there.
import type { BlurRegion } from '@cunzhi/contracts/cases';
import { type PointerEvent, useRef, useState } from 'react';
import type { Static } from 'typebox';

type Region = Static<typeof BlurRegion>;

export function BlurEditor({ src, regions, onChange }: { src: string; regions: Region[]; onChange(regions: Region[]): void }) {
  const frame = useRef<HTMLDivElement>(null);
  const [start, setStart] = useState<{ x: number; y: number }>();
  const [draft, setDraft] = useState<Region>();

  const at = (event: PointerEvent) => {
    const box = frame.current?.getBoundingClientRect();
    if (!box) return { x: 0, y: 0 };
    const clamp = (v: number) => Math.min(1, Math.max(0, v));
    return { x: clamp((event.clientX - box.left) / box.width), y: clamp((event.clientY - box.top) / box.height) };
  };
  const between = (a: { x: number; y: number }, b: { x: number; y: number }): Region => ({
    x: Math.min(a.x, b.x),
    y: Math.min(a.y, b.y),
    width: Math.abs(a.x - b.x),
    height: Math.abs(a.y - b.y),
  });

  return (
    <div
      ref={frame}
      className="blur-canvas"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        setStart(at(e));
      }}
      onPointerMove={(e) => start && setDraft(between(start, at(e)))}
      onPointerUp={(e) => {
        if (start) {
          const region = between(start, at(e));
          if (region.width > 0.01 && region.height > 0.01) onChange([...regions, region]);
        }
        setStart(undefined);
        setDraft(undefined);
      }}
    >
      <img src={src} alt="" draggable={false} />
      {[...regions, ...(draft ? [draft] : [])].map((r, i) => (
        <div
          // biome-ignore lint/suspicious/noArrayIndexKey: boxes have no identity but their order
          key={i}
          className="blur-box"
          style={{ left: `${r.x * 100}%`, top: `${r.y * 100}%`, width: `${r.width * 100}%`, height: `${r.height * 100}%` }}
        />
      ))}
    </div>
  );
}
