// The send of a phone form that carries photos (a report, a home visit, a farm observation or
// question). Every photo is made small on the phone first, one at a time (a cheap phone decodes one
// camera picture at once); a refused one stops everything before anything is queued, so the person
// is told once and nothing half-done goes out. Then the page's own commands queue the photos and
// the write through the outbox (each with its Idempotency-Key). A second tap while a send runs,
// even before React has drawn the disabled button, sends nothing.
import { useRef, useState } from 'react';
import { type PhotoProblem, PhotoRefused, shrinkPhoto } from './shrink-photo.ts';

export type PhotoSendResult =
  | { status: 'sent' }
  | { status: 'busy' }
  /** photo: which one was refused, by number from 1. */
  | { status: 'refused'; problem: PhotoProblem; photo: number }
  | { status: 'failed'; error: unknown };

export function usePhotoSend() {
  const busy = useRef(false);
  const [sending, setSending] = useState(false);

  /** Shrinks the photos, then hands the small ones to `queue`, which queues the photos and the write. */
  const send = async (photos: Blob[], queue: (small: Blob[]) => Promise<void>): Promise<PhotoSendResult> => {
    if (busy.current) return { status: 'busy' };
    busy.current = true;
    setSending(true);
    try {
      const small: Blob[] = [];
      for (const [i, photo] of photos.entries()) {
        try {
          small.push(await shrinkPhoto(photo));
        } catch (error) {
          if (error instanceof PhotoRefused) return { status: 'refused', problem: error.problem, photo: i + 1 };
          throw error;
        }
      }
      await queue(small);
      return { status: 'sent' };
    } catch (error) {
      return { status: 'failed', error };
    } finally {
      busy.current = false;
      setSending(false);
    }
  };

  return { sending, send };
}
