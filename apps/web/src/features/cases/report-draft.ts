// A half-written report survives going back, a phone call or a closed tab: it is kept in the
// browser per signed-in person and cleared once sent. The photo is not kept (the page says so):
// a picture would not fit in localStorage, and the camera is one tap away.
import { useEffect, useState } from 'react';
import { newId } from '../../lib/new-id.ts';

export type ReportDraft = {
  /** The case's id, minted once per form: a second tap or a second send is the same report. */
  id: string;
  categoryId?: string;
  text: string;
  anonymous: boolean;
  exposure: boolean;
};

const keyOf = (userId: string) => `cunzhi.reportDraft.${userId}`;
const blank = (): ReportDraft => ({ id: newId(), text: '', anonymous: false, exposure: false });

function read(userId: string | undefined): ReportDraft {
  if (!userId) return blank();
  try {
    const stored = JSON.parse(localStorage.getItem(keyOf(userId)) ?? 'null') as Partial<ReportDraft> | null;
    if (!stored || typeof stored.id !== 'string' || typeof stored.text !== 'string') return blank();
    return {
      id: stored.id,
      categoryId: typeof stored.categoryId === 'string' ? stored.categoryId : undefined,
      text: stored.text,
      anonymous: stored.anonymous === true,
      exposure: stored.exposure === true,
    };
  } catch {
    return blank();
  }
}

/** The person's draft, saved as it changes; `clear()` after sending starts a new form with a new id. */
export function useReportDraft(userId: string | undefined) {
  const [draft, setDraft] = useState<ReportDraft>(() => read(userId));
  const [loadedFor, setLoadedFor] = useState(userId);
  // The session may arrive after the first render: the draft is that person's, not an empty one.
  if (loadedFor !== userId) {
    setLoadedFor(userId);
    setDraft(read(userId));
  }
  useEffect(() => {
    if (!userId) return;
    const empty = draft.text.trim() === '' && draft.categoryId === undefined;
    try {
      if (empty) localStorage.removeItem(keyOf(userId));
      else localStorage.setItem(keyOf(userId), JSON.stringify(draft));
    } catch {
      // Private mode or a full store: the form still works, it is only not kept.
    }
  }, [userId, draft]);
  return {
    draft,
    update: (change: Partial<Omit<ReportDraft, 'id'>>) => setDraft((current) => ({ ...current, ...change })),
    clear: () => setDraft(blank()),
  };
}
