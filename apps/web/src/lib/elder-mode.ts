// Elder mode (长辈版): larger text, taller lines and bigger tap targets for older people, after the
// MIIT age-friendly app specification (2021). It is a choice of this device, not of the account:
// the same phone is often handed between a grandparent and a grandchild, and the login page shows
// the switch before anyone has signed in. The choice sits in localStorage and is shown to CSS as
// `data-elder` on <html>, so plain pages (login, no antd) and the antd theme both follow it.
// No antd here: the login page imports this module.
import { useSyncExternalStore } from 'react';

const STORAGE_KEY = 'cunzhi.elderMode';
const listeners = new Set<() => void>();

function readStored(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    // Storage refused (private mode on some phones): the mode lasts for this page only.
    return false;
  }
}

function applyToDocument(on: boolean): void {
  if (typeof document === 'undefined') return;
  if (on) document.documentElement.setAttribute('data-elder', '');
  else document.documentElement.removeAttribute('data-elder');
}

let current: boolean | undefined;

/** The stored choice, read and shown to CSS the first time anyone asks. */
export function isElderMode(): boolean {
  if (current === undefined) {
    current = readStored();
    applyToDocument(current);
  }
  return current;
}

// Read in a task of its own, long before the page first draws (which waits for the page's chunks):
// the page's first read of localStorage fetches the site's storage from the browser, 3-13 ms in
// CPU profiles of a phone page's load, and at this module's evaluation it lengthened the entry's
// task, the longest of the start-up (Lighthouse counts a task's time over 50 ms as blocking, with
// its CPU slowed 4×). Whoever asks sooner (a render) reads it at once.
if (typeof window !== 'undefined') setTimeout(isElderMode, 0);

export function setElderMode(on: boolean): void {
  current = on;
  try {
    if (on) localStorage.setItem(STORAGE_KEY, '1');
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Kept in memory only; see readStored.
  }
  applyToDocument(on);
  for (const listener of listeners) listener();
}

export function toggleElderMode(): void {
  setElderMode(!isElderMode());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab of the same app switched: follow it.
  const onStorage = (event: StorageEvent) => {
    if (event.key !== STORAGE_KEY) return;
    current = event.newValue === '1';
    applyToDocument(current);
    listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** `[on, setOn]`: whether elder mode is on for this device, and a setter that remembers it. */
export function useElderMode(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(subscribe, isElderMode, () => false);
  return [on, setElderMode];
}
