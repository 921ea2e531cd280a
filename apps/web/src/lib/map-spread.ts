// Markers on a map that would cover each other (three cameras 200 m apart on a township's map, a
// finding at its camera's spot) are spread around the point they share, so that each stays visible
// and tappable; a thin line joins a moved marker to where it really is. Screen pixels in and out:
// the spread depends on how large the map is drawn, not on the places' coordinates.

export type ScreenPoint = { id: string; x: number; y: number };

/**
 * Each marker's offset [dx, dy] in pixels so that no two centres are closer than `gap`, and every
 * centre stays `gap / 2` inside a `width`×`height` map. Markers closer than `gap` (transitively)
 * form a group laid on a ring around the group's centre, in the order of their angle around it
 * (so the spread keeps their rough directions); a marker alone stays where it is.
 */
export function spreadMarkers(points: ScreenPoint[], gap: number, width: number, height: number): Map<string, [number, number]> {
  const at = points.map((p) => ({ x: p.x, y: p.y }));
  // Groups only grow: a group that, once spread, touches another marker takes it in and is laid
  // out again around the members' own places; at most one round per marker settles it.
  const parent = points.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  for (let round = 0; round < points.length; round++) {
    let joined = false;
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) {
        const a = at[i] as { x: number; y: number };
        const b = at[j] as { x: number; y: number };
        if (Math.hypot(a.x - b.x, a.y - b.y) < gap - 0.01 && find(i) !== find(j)) {
          parent[find(i)] = find(j);
          joined = true;
        }
      }
    }
    if (!joined) break;
    const groups = new Map<number, number[]>();
    for (let i = 0; i < points.length; i++) groups.set(find(i), [...(groups.get(find(i)) ?? []), i]);
    for (const members of groups.values()) {
      if (members.length === 1) continue;
      const own = members.map((i) => points[i] as ScreenPoint);
      const cx = own.reduce((sum, p) => sum + p.x, 0) / own.length;
      const cy = own.reduce((sum, p) => sum + p.y, 0) / own.length;
      // The ring on which neighbours are `gap` apart (a little more, against rounding).
      const radius = (gap * 1.05) / (2 * Math.sin(Math.PI / own.length));
      const ordered = [...members].sort(
        (a, b) =>
          angleOf(points[a] as ScreenPoint, cx, cy) - angleOf(points[b] as ScreenPoint, cx, cy) ||
          (points[a] as ScreenPoint).id.localeCompare((points[b] as ScreenPoint).id),
      );
      const start = angleOf(points[ordered[0] as number] as ScreenPoint, cx, cy);
      const ring = ordered.map((_, k) => {
        const angle = start + (k * 2 * Math.PI) / ordered.length;
        return { x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle) };
      });
      // A ring at the map's edge moves inside whole, keeping its spacing.
      const dx = shiftInside(
        ring.map((p) => p.x),
        width,
        gap / 2,
      );
      const dy = shiftInside(
        ring.map((p) => p.y),
        height,
        gap / 2,
      );
      for (const [k, i] of ordered.entries()) at[i] = { x: (ring[k]?.x ?? 0) + dx, y: (ring[k]?.y ?? 0) + dy };
    }
  }
  const half = gap / 2;
  const clamp = (v: number, max: number) => (max <= gap ? max / 2 : Math.min(max - half, Math.max(half, v)));
  return new Map(
    points.map((p, i) => {
      const to = at[i] as { x: number; y: number };
      return [p.id, [clamp(to.x, width) - p.x, clamp(to.y, height) - p.y]];
    }),
  );
}

/** How far to move values so that all lie within [margin, size − margin] (as far as they fit). */
function shiftInside(values: number[], size: number, margin: number): number {
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (low < margin) return margin - low;
  if (high > size - margin) return Math.max(size - margin - high, margin - low);
  return 0;
}

/** Angle of a point around a centre; a point on the centre (all of a group at one spot) counts as straight up. */
function angleOf(p: { x: number; y: number }, cx: number, cy: number): number {
  const dx = p.x - cx;
  const dy = p.y - cy;
  return Math.hypot(dx, dy) < 0.5 ? -Math.PI / 2 : Math.atan2(dy, dx);
}
