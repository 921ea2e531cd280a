// A menu drawer from the left on a native <dialog>: the browser keeps focus inside it, closes it on
// Esc and gives it a backdrop, with no UI library on the phone pages' first load.
import { type ReactNode, useEffect, useRef } from 'react';

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
