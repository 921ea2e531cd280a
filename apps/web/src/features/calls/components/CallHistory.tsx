// The latest calls, newest first: who, when, a call or a look, answered or missed.
import '../words.ts';
import type { Call } from '@cunzhi/contracts/care-calls';
import { useTranslation } from 'react-i18next';
import { Chip } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { formatWhen } from '../../../lib/format-time.ts';

export function CallHistory({ calls, show }: { calls: Call[]; show: 'elder' | 'user' }) {
  const { t } = useTranslation();
  return (
    <Panel title={t('calls.history')}>
      <ul className="plain-list call-history" data-testid="call-history">
        {calls.slice(0, 20).map((call) => (
          <li key={call.id} data-state={call.state}>
            {formatWhen(call.startedAt)} · {show === 'elder' ? call.elderName : call.userName} · {t(`calls.kinds.${call.kind}`)} ·{' '}
            {call.direction === 'home' ? t('calls.fromHome') : t('calls.toHome')}{' '}
            <Chip colour={call.state === 'missed' || call.state === 'declined' ? 'red' : 'green'}>{t(`calls.states.${call.state}`)}</Chip>
          </li>
        ))}
        {calls.length === 0 && <li className="muted">{t('calls.noHistory')}</li>}
      </ul>
    </Panel>
  );
}
