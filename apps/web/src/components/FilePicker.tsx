// Our own file control: a big button in the reader's language (选择照片 / 选择文件) and the name of
// what was chosen, in place of the browser's small English "Choose file / No file chosen". The
// native input stays in the page, visually hidden, labelled and reachable by keyboard and screen
// reader; tapping anywhere on the control opens it.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

type Props = {
  /** What the file is for, read by screen readers as the input's name (a material's name, 附件 …). */
  label: string;
  /** Shown above the button when the control has a caption of its own. */
  caption?: ReactNode;
  kind: 'photo' | 'file';
  accept: string;
  /** Opens the camera first on a phone. */
  camera?: boolean;
  multiple?: boolean;
  /** The chosen files' names, shown beside the button. */
  chosen?: string[];
  onChoose(files: File[]): void;
  /** Clears the input after each choice, so that choosing the same file again is seen. */
  resetAfterChoice?: boolean;
  /** Shown in place of the chosen names (the photos' thumbnails); it must carry the names for screen readers. */
  preview?: ReactNode;
  /** The button's words in place of 选择照片 / 选择文件 (重选照片 once a photo is chosen). */
  buttonText?: string;
};

/**
 * A camera drawn inline, 1.2em in the words' colour: an emoji (📷) is an empty box on a phone without
 * an emoji font, and the words beside it carry the meaning for screen readers.
 */
function CameraIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="1.2em"
      height="1.2em"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
    >
      <path
        d="M3 8.5A1.5 1.5 0 0 1 4.5 7h3L9 4.5h6L16.5 7h3A1.5 1.5 0 0 1 21 8.5v10a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5z"
        strokeLinejoin="round"
      />
      <circle cx="12" cy="13" r="3.5" />
    </svg>
  );
}

export function FilePicker({
  label,
  caption,
  kind,
  accept,
  camera,
  multiple,
  chosen = [],
  onChoose,
  resetAfterChoice,
  preview,
  buttonText,
}: Props) {
  const { t } = useTranslation();
  return (
    <label className="file-picker" data-testid="file-picker">
      {caption && <span className="file-picker-caption">{caption}</span>}
      <span className="file-picker-row">
        <span className="file-picker-button" aria-hidden="true">
          {kind === 'photo' && <CameraIcon />}
          {buttonText ?? t(kind === 'photo' ? 'files.choosePhoto' : 'files.chooseFile')}
        </span>
        <span className="file-picker-name" data-testid="file-picker-name">
          {preview ?? (chosen.length > 0 ? chosen.join('、') : t('files.none'))}
        </span>
      </span>
      <input
        type="file"
        className="sr-only"
        aria-label={label}
        accept={accept}
        capture={camera ? 'environment' : undefined}
        multiple={multiple}
        onChange={(e) => {
          onChoose([...(e.target.files ?? [])]);
          if (resetAfterChoice) e.target.value = '';
        }}
      />
    </label>
  );
}
