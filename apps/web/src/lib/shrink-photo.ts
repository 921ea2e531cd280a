// Shared by every phone page that sends a photo (a report, a task done, a farm observation or question).
// A phone's photo is made small before it goes anywhere: a camera picture of 5–15 MB becomes a JPEG
// of a few hundred KB (longest side 1600 px), which sends on a weak signal and fits the server's
// limit. A file that is not a picture, or one still too large, is refused here, before the report
// is sent, so the person is told once and nothing half-done reaches the server.

/** Longest side of the picture sent, in pixels: enough to read a sign or see a crack. */
export const PHOTO_LONGEST_SIDE = 1600;
export const PHOTO_QUALITY = 0.8;
/** Well under the server's photo limit (10 MB by default). */
export const PHOTO_MAX_BYTES = 4 * 1_048_576;
/** A file this large is not opened at all: decoding it could stall a cheap phone. */
const FILE_MAX_BYTES = 60 * 1_048_576;

export type PhotoProblem = 'notImage' | 'tooLarge';

export class PhotoRefused extends Error {
  constructor(readonly problem: PhotoProblem) {
    super(problem);
  }
}

async function decode(file: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new PhotoRefused('notImage');
  }
}

/** The picture as a JPEG no longer than PHOTO_LONGEST_SIDE on its longest side; throws PhotoRefused. */
export async function shrinkPhoto(file: Blob): Promise<Blob> {
  if (file.size > FILE_MAX_BYTES) throw new PhotoRefused('tooLarge');
  const bitmap = await decode(file);
  const scale = Math.min(1, PHOTO_LONGEST_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext('2d');
  if (!context) throw new PhotoRefused('notImage');
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', PHOTO_QUALITY));
  if (!blob) throw new PhotoRefused('notImage');
  if (blob.size > PHOTO_MAX_BYTES) throw new PhotoRefused('tooLarge');
  return blob;
}
