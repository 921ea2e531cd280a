// A menu drawer from the left on a native <dialog>: the browser keeps focus inside it, closes it on
// Esc and gives it a backdrop, with no UI library on the phone pages' first load. The phone's back
// button closes it, as it does any layer that uses useBackCloses (dialogs, confirmations).
import { type ReactNode, useEffect, useRef } from 'react';

// --- the back button closes the open layer first -------------------------------------------------
//
// A drawer or dialog that opens adds a history entry (the same page, marked with the layer); back
// (Android's button, the browser's) then pops that entry and closes the layer, and the page stays.
// A layer closed by its own button goes back over its entry, so history does not fill with them.
// The entry keeps the router's state (its key and index), so to React Router it is the same page.
// It lives here, in a module every phone page loads already (vite.config.ts's phone-ui group).

type Layer = { id: string; close(): void };
/** The open layers, the last opened last; each has its entry in history, in the same order. */
const layers: Layer[] = [];
/** Backs we asked for ourselves whose popstate has not come yet. */
let ownBacks = 0;
/** Layers opened while such a back was under way: their entries are added once it has landed. */
const waiting: Layer[] = [];
let listening = false;
let nextLayer = 0;

const layerOfEntry = (): string | undefined => (window.history.state as { cunzhiLayer?: string } | null)?.cunzhiLayer;

function pushEntry(layer: Layer) {
  window.history.pushState({ ...(window.history.state as object | null), cunzhiLayer: layer.id }, '');
}

function onPopState() {
  if (ownBacks > 0) {
    ownBacks -= 1;
    if (ownBacks === 0) for (const layer of waiting.splice(0)) pushEntry(layer);
    return;
  }
  // Back (or forward, or a jump of several): every layer whose entry is no longer the current one
  // or below it is closed. Its entry is gone already, so closing it asks for no back.
  const current = layerOfEntry();
  const keep = current === undefined ? 0 : layers.findIndex((layer) => layer.id === current) + 1;
  for (const layer of layers.splice(keep).reverse()) layer.close();
}

function openLayer(close: () => void): Layer {
  if (!listening) {
    window.addEventListener('popstate', onPopState);
    listening = true;
  }
  nextLayer += 1;
  const layer = { id: `${Date.now().toString(36)}-${nextLayer}`, close };
  layers.push(layer);
  if (ownBacks > 0) waiting.push(layer);
  else pushEntry(layer);
  return layer;
}

function closeLayer(layer: Layer) {
  const at = layers.indexOf(layer);
  if (at === -1) return; // closed by back: its entry is gone already
  layers.splice(at, 1);
  const queued = waiting.indexOf(layer);
  if (queued !== -1) return void waiting.splice(queued, 1);
  // Closed by its own button: back over its entry, when it is still the current one. Looked at a
  // moment later: a save that closes its dialog and opens the new record's page has pushed that page
  // by then, above the entry (which then stays, one more step back to the same page).
  setTimeout(() => {
    if (layerOfEntry() !== layer.id) return;
    ownBacks += 1;
    window.history.back();
  }, 0);
}

/**
 * While `open`, the back button calls `onClose` (and the page stays); closed otherwise, the history
 * entry it added is gone again. For drawers, dialogs and confirmations.
 */
export function useBackCloses(open: boolean, onClose: () => void): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    if (!open) return;
    const layer = openLayer(() => close.current());
    return () => closeLayer(layer);
  }, [open]);
}

export function SideDrawer({
  open,
  onClose,
  title,
  closeLabel,
  children,
}: {
  open: boolean;
  onClose(): void;
  title: string;
  closeLabel: string;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useBackCloses(open, onClose);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    // A tap on the backdrop lands on the dialog element itself (its content fills the panel).
    // biome-ignore lint/a11y/useKeyWithClickEvents: keys close it natively (Esc) and by its close button
    <dialog
      ref={dialog}
      className="side-drawer"
      aria-label={title}
      onClose={onClose}
      onClick={(event) => {
        if (event.target === dialog.current) onClose();
      }}
    >
      <div className="side-drawer-panel">
        <div className="side-drawer-head">
          <span className="side-drawer-title">{title}</span>
          <button type="button" className="header-button" onClick={onClose} aria-label={closeLabel}>
            ✕
          </button>
        </div>
        {open && children}
      </div>
    </dialog>
  );
}
