// 朗读: reads the page's main text aloud (lib/read-aloud.ts); a second tap stops it. Plain HTML,
// no antd, so the login page may show it too.
import { SoundOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canReadAloud, mainText, readAloud, stopReading, useReadAloudLifecycle, useReading } from '../lib/read-aloud.ts';

export function ReadAloudButton() {
  const { t, i18n } = useTranslation();
  const reading = useReading();
  const [unsupported, setUnsupported] = useState(false);
  useReadAloudLifecycle();
  const toggle = () => {
    if (reading) return stopReading();
    if (!canReadAloud() || !readAloud(mainText(), i18n.language === 'en' ? 'en-US' : 'zh-CN')) setUnsupported(true);
  };
  return (
    <>
      <button type="button" className="read-aloud-button" aria-pressed={reading} onClick={toggle} data-no-read>
        <SoundOutlined aria-hidden="true" /> {reading ? t('elder.stopReading') : t('elder.readAloud')}
      </button>
      {unsupported && (
        <span role="status" className="read-aloud-note" data-no-read>
          {t('elder.noSpeech')}
        </span>
      )}
    </>
  );
}
