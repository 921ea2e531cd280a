// The photo step of a phone form (a report, a home visit, a farm observation or question): our own
// file control, a thumbnail of each photo chosen so far (its name for screen readers only: a phone's
// "IMG_2041.jpg" tells a villager nothing) and big buttons to take them back or choose again. The page
// holds the photos and says how many it takes; a choice beyond that is cut to it (and said, so that
// the page can tell the person). A file that is not a photo (its first bytes are not a JPEG, PNG,
// WebP, GIF or HEIC picture, whatever its name says) is refused here, at the choice, with its name,
// next to the control; the same photo chosen twice is kept once. Every chosen photo has its own id
// (the File object's), so the remove buttons stay one a photo. Photos are made small and sent by
// lib/use-photo-send.ts.
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  /** The control's words once a photo is chosen (重选照片), where a new choice replaces it. */
  again?: string;
};

const ids = new WeakMap<File, number>();
let lastId = 0;
/** The photo's own id for a React key: one a File object, so two picks of one file differ. */
function photoId(file: File): number {
  let id = ids.get(file);
  if (id === undefined) {
    lastId += 1;
    id = lastId;
    ids.set(file, id);
  }
  return id;
}

// Name and size: a gallery gives the same photo again under its name, with the same bytes.
const sameFile = (a: File, b: File) => a.name === b.name && a.size === b.size;

/** Whether the file's first bytes are a picture's: JPEG, PNG, GIF, WebP or HEIC/HEIF/AVIF. */
export async function looksLikePhoto(file: Blob): Promise<boolean> {
  const b = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return true;
  if (b[0] === 0x89 && ascii(1, 4) === 'PNG') return true;
  if (ascii(0, 4) === 'GIF8') return true;
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return true;
  return ascii(4, 8) === 'ftyp' && ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif'].includes(ascii(8, 12));
}

type Note = { type: 'refused' | 'again'; names: string[] };

/**
 * The photo as a small picture, from an object URL made for this File and revoked when the photo is
 * replaced or taken away (or the form goes): a kept URL would hold the photo's bytes in memory.
 */
function Thumbnail({ file, first }: { file: File; first: boolean }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const made = URL.createObjectURL(file);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [file]);
  return (
    <span className="photo-thumbnail">
      {url && <img src={url} alt="" data-testid="photo-thumbnail" />}
      <span className="sr-only">
        {first ? '' : '、'}
        {file.name}
      </span>
    </span>
  );
}

export function PhotoPicker({ label, caption, photos, max, onChange, hint, remove, again }: Props) {
  const { t } = useTranslation();
  const [notes, setNotes] = useState<Note[]>([]);
  const noteRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notes.length > 0) noteRef.current?.scrollIntoView?.({ block: 'center' });
  }, [notes]);
  const keep = (left: File[]) => {
    setNotes([]);
    onChange(left, { chosen: false, tooMany: false });
  };

  const choose = async (files: File[]) => {
    const checked = await Promise.all(files.map(async (file) => ({ file, ok: await looksLikePhoto(file).catch(() => false) })));
    const refused = checked.filter((c) => !c.ok).map((c) => c.file.name);
    const good = checked.filter((c) => c.ok).map((c) => c.file);
    const earlier = max === 1 ? [] : photos;
    const again: string[] = [];
    const fresh: File[] = [];
    for (const file of good) {
      if ([...earlier, ...fresh].some((p) => sameFile(p, file))) again.push(file.name);
      else fresh.push(file);
    }
    const next: Note[] = [];
    if (refused.length > 0) next.push({ type: 'refused', names: refused });
    if (again.length > 0) next.push({ type: 'again', names: again });
    setNotes(next);
    if (fresh.length === 0) return;
    const all = [...earlier, ...fresh];
    onChange(all.slice(0, max), { chosen: true, tooMany: all.length > max });
  };

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
        preview={
          photos.length > 0 ? (
            <span className="photo-thumbnails">
              {photos.map((p, i) => (
                <Thumbnail key={photoId(p)} file={p} first={i === 0} />
              ))}
            </span>
          ) : undefined
        }
        buttonText={photos.length > 0 && again ? again : undefined}
        resetAfterChoice
        onChoose={(files) => void choose(files)}
      />
      {notes.length > 0 && (
        <div ref={noteRef} className="notice notice-error" role="alert" data-testid="photo-picker-note">
          <div className="notice-body">
            {notes.map((n) => (
              <p key={n.type}>{t(n.type === 'refused' ? 'files.notPhoto' : 'files.chosenAgain', { names: n.names.join('、') })}</p>
            ))}
          </div>
        </div>
      )}
      {hint}
      {photos.length > 0 &&
        ('all' in remove ? (
          <Button size="large" onClick={() => keep([])}>
            {remove.all}
          </Button>
        ) : (
          <div className="photo-picker-remove">
            {photos.map((p, i) => (
              <Button key={photoId(p)} size="large" onClick={() => keep(photos.filter((q) => q !== p))}>
                {remove.each(i + 1)}
              </Button>
            ))}
          </div>
        ))}
    </>
  );
}
