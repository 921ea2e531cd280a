// The photo step of a phone form (a report, a home visit, a farm observation or question): our own
// file control, the names of the photos chosen so far and big buttons to take them back. The page
// holds the photos and says how many it takes; a choice beyond that is cut to it (and said, so that
// the page can tell the person). Photos are made small and sent by lib/use-photo-send.ts.
import type { ReactNode } from 'react';
import { Button } from './Button.tsx';
import { FilePicker } from './FilePicker.tsx';

/** What changed: a new choice (chosen), and whether it brought more photos than the form takes. */
export type PhotoChange = { chosen: boolean; tooMany: boolean };

type Props = {
  /** The input's name for screen readers (照片 …). */
  label: string;
  /** Shown above the button. */
  caption: ReactNode;
  photos: File[];
  /** How many photos the form takes; with 1, a new choice replaces the photo. */
  max: number;
  onChange(photos: File[], change: PhotoChange): void;
  /** Shown between the control and the remove buttons (how many are chosen …). */
  hint?: ReactNode;
  /** One button that takes every photo back (its words), or one a photo (its words, by number from 1). */
  remove: { all: string } | { each(number: number): string };
};

export function PhotoPicker({ label, caption, photos, max, onChange, hint, remove }: Props) {
  const keep = (left: File[]) => onChange(left, { chosen: false, tooMany: false });
  return (
    <>
      <FilePicker
        label={label}
        caption={caption}
        kind="photo"
        accept="image/*"
        camera
        multiple={max > 1}
        chosen={photos.map((p) => p.name)}
        resetAfterChoice
        onChoose={(files) => {
          const all = max === 1 ? files : [...photos, ...files];
          onChange(all.slice(0, max), { chosen: true, tooMany: all.length > max });
        }}
      />
      {hint}
      {photos.length > 0 &&
        ('all' in remove ? (
          <Button size="large" onClick={() => keep([])}>
            {remove.all}
          </Button>
        ) : (
          <div className="photo-picker-remove">
            {photos.map((p, i) => (
              <Button key={`${p.name}-${p.size}-${p.lastModified}`} size="large" onClick={() => keep(photos.filter((_, j) => j !== i))}>
                {remove.each(i + 1)}
              </Button>
            ))}
          </div>
        ))}
    </>
  );
}
