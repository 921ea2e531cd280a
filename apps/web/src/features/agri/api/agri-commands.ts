// What a household's phone sends about its farm goes through the outbox: an observation or a
// question made without signal waits on the phone and goes once the network is back. A photo is
// uploaded first, as its own command; the observation that shows it names the photo by the
// outbox item that uploads it (photoKeys), and the server's id for it is filled in when the
// observation is sent: the outbox sends in order and hands each answer to onSent, which keeps it here.
//
// Kept small: app/offline-commands.ts imports it on every page.
import type { ObservationInput } from '@cunzhi/contracts/agri-farms';
import type { QuestionInput, QuestionMessageInput } from '@cunzhi/contracts/agri-questions';
import { defineCommands, onSent } from '../../../lib/outbox.ts';

const PHOTO_ACTION = 'agri.photo';
const STORE_KEY = 'cunzhi.agri.photoIds';
/** An uploaded photo's id is kept this long for the command that waits for it (then dropped). */
const KEEP_MS = 30 * 86_400_000;

type Uploaded = Record<string, { id: string; at: number }>;

function uploaded(): Uploaded {
  try {
    return JSON.parse(localStorage.getItem(STORE_KEY) ?? '{}') as Uploaded;
  } catch {
    return {};
  }
}

function remember(key: string, id: string): void {
  const now = Date.now();
  const kept = Object.fromEntries(Object.entries(uploaded()).filter(([, v]) => now - v.at < KEEP_MS));
  localStorage.setItem(STORE_KEY, JSON.stringify({ ...kept, [key]: { id, at: now } }));
}

/** The server's ids of the photos these outbox items uploaded (a photo the server refused is left out). */
export function photoIdsOf(keys: string[]): string[] {
  const known = uploaded();
  return keys.flatMap((key) => (known[key] ? [known[key].id] : []));
}

onSent((item, answer) => {
  const id = (answer as { id?: unknown } | undefined)?.id;
  if (item.action === PHOTO_ACTION && typeof id === 'string') remember(item.id, id);
});

type WithPhotos<T> = T & { photoKeys: string[] };

export const agriCommands = defineCommands<{
  'agri.photo': { photo: Blob };
  'agri.observe': { householdId: string; input: WithPhotos<Omit<ObservationInput, 'photoIds'>> };
  'agri.ask': WithPhotos<Omit<QuestionInput, 'photoIds'>>;
  'agri.reply': { questionId: string; input: WithPhotos<Omit<QuestionMessageInput, 'photoIds'>> };
}>({
  'agri.photo': ({ photo }) => ({ path: '/api/agri/photos', file: photo }),
  'agri.observe': ({ householdId, input: { photoKeys, ...input } }) => ({
    path: `/api/agri/farms/${householdId}/observations`,
    json: { ...input, photoIds: photoIdsOf(photoKeys) },
  }),
  'agri.ask': ({ photoKeys, ...input }) => ({ path: '/api/agri/questions', json: { ...input, photoIds: photoIdsOf(photoKeys) } }),
  'agri.reply': ({ questionId, input: { photoKeys, ...input } }) => ({
    path: `/api/agri/questions/${questionId}/messages`,
    json: { ...input, photoIds: photoIdsOf(photoKeys) },
  }),
});

/** Queues a shrunk photo's upload; answers the key a later command names it by. */
export const queuePhoto = (photo: Blob, label: string) => agriCommands.queue('agri.photo', { photo }, { label, action: PHOTO_ACTION });
