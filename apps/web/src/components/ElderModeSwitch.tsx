// The elder-mode (长辈版) switch, for the login page, the home page and the header. Plain HTML, no
// antd: the login page loads none of antd. The state is said in words beside the knob, so colour
// is never the only signal.
import { useTranslation } from 'react-i18next';
import { useElderMode } from '../lib/elder-mode.ts';

export function ElderModeSwitch({ size = 'normal' }: { size?: 'normal' | 'large' }) {
  const { t } = useTranslation();
  const [on, setOn] = useElderMode();
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      className={`elder-switch${size === 'large' ? ' elder-switch-large' : ''}`}
      title={on ? t('elder.turnOff') : t('elder.turnOn')}
      onClick={() => setOn(!on)}
      // A control, not the page's text: 朗读 does not read its state out before the page.
      data-no-read
    >
      <span className="elder-switch-label">{t('elder.switch')}</span>
      {/* One row with the label elsewhere; under it in the phone header (styles.css). */}
      <span className="elder-switch-row">
        <span className="elder-switch-track" aria-hidden="true">
          <span className="elder-switch-knob" />
        </span>
        <span className="elder-switch-state">{on ? t('elder.on') : t('elder.off')}</span>
      </span>
    </button>
  );
}
