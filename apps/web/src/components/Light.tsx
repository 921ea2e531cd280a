// Plain stand-ins for antd's Alert, Tag and inputs on the phone pages: antd's versions bring in
// icons and motion that phones pay for in kilobytes (see scripts/bundle-sizes.mjs).
import { type ReactNode, type TextareaHTMLAttributes, useEffect, useRef } from 'react';

export function Notice({
  type,
  children,
  onClose,
  testId,
  reveal,
}: {
  type: 'info' | 'success' | 'warning' | 'error';
  children: ReactNode;
  onClose?: () => void;
  testId?: string;
  /** Scrolls the notice into view when it appears (one shown beside a button far down a long form). */
  reveal?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (reveal) ref.current?.scrollIntoView?.({ block: 'center' });
  }, [reveal]);
  return (
    <div ref={ref} className={`notice notice-${type}`} role={type === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <div className="notice-body">{children}</div>
      {onClose && (
        <button type="button" className="notice-close" aria-label="close" onClick={onClose}>
          ×
        </button>
      )}
    </div>
  );
}

export function Chip({ colour, children }: { colour?: string; children: ReactNode }) {
  return <span className={`chip chip-${colour ?? 'default'}`}>{children}</span>;
}

export function TextArea(props: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className="text-input" {...props} />;
}

export function CheckLine({ checked, onChange, children }: { checked: boolean; onChange(checked: boolean): void; children: ReactNode }) {
  return (
    <label className="check-line">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>{children}</span>
    </label>
  );
}
