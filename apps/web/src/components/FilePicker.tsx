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
          {kind === 'photo' ? '📷 ' : ''}
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
