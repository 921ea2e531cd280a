// 朗读: reads the page's main text aloud (lib/read-aloud.ts); a second tap stops it. Plain HTML,
// no antd, so the login page may show it too.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canReadAloud, mainText, readAloud, stopReading, useReadAloudLifecycle, useReading } from '../lib/read-aloud.ts';

/**
 * A loudspeaker (antd's SoundOutlined drawing), inline: the icon library's component would add its
 * chunks to every phone page's header and write its stylesheet into the page while it loads.
 */
function SoundIcon() {
  return (
    <svg viewBox="64 64 896 896" width="1em" height="1em" fill="currentColor" aria-hidden="true" focusable="false">
      <path d="M625.9 115c-5.9 0-11.9 1.6-17.4 5.3L254 352H90c-8.8 0-16 7.2-16 16v288c0 8.8 7.2 16 16 16h164l354.5 231.7c5.5 3.6 11.6 5.3 17.4 5.3 16.7 0 32.1-13.3 32.1-32.1V147.1c0-18.8-15.4-32.1-32.1-32.1zM586 803L293.4 611.7l-18-11.7H146V424h129.4l17.9-11.7L586 221v582zm348-327H806c-8.8 0-16 7.2-16 16v40c0 8.8 7.2 16 16 16h128c8.8 0 16-7.2 16-16v-40c0-8.8-7.2-16-16-16zm-41.9 261.8l-110.3-63.7a15.9 15.9 0 00-21.7 5.9l-19.9 34.5c-4.4 7.6-1.8 17.4 5.8 21.8L856.3 800a15.9 15.9 0 0021.7-5.9l19.9-34.5c4.4-7.6 1.7-17.4-5.8-21.8zM760 344a15.9 15.9 0 0021.7 5.9L892 286.2c7.6-4.4 10.2-14.2 5.8-21.8L878 230a15.9 15.9 0 00-21.7-5.9L746 287.8a15.99 15.99 0 00-5.8 21.8L760 344z" />
    </svg>
  );
}

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
        <SoundIcon /> {reading ? t('elder.stopReading') : t('elder.readAloud')}
      </button>
      {unsupported && (
        <span role="status" className="read-aloud-note" data-no-read>
          {t('elder.noSpeech')}
        </span>
      )}
    </>
  );
}
