// 亲情通话 on a family member's phone: a video call to the elder's home device, a look at home when
// the elder allows it, the elder's home calling back, the calls so far, and a pairing code for the
// home tablet or TV. Plain (no antd), big buttons, Chinese first.
import '../words.ts';
import '../calls.css';
import type { PairingCode } from '@cunzhi/contracts/care-calls';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { callTarget, familyApi, issuePairing } from '../api/calls.ts';
import { useCall } from '../use-call.ts';
import { CallHistory } from './CallHistory.tsx';
import { CallScreen, EndedNotice } from './CallScreen.tsx';

const CALLS_KEY = 'calls';

function Pairing({ elderId }: { elderId: string }) {
  const { t } = useTranslation();
  const [code, setCode] = useState<PairingCode | undefined>();
  return (
    <Panel title={t('calls.pairTitle')}>
      {code ? (
        <>
          <div className="muted">{t('calls.pairHelp', { address: `${location.origin}/home-device` })}</div>
          <output className="pair-code" data-testid="pair-code" aria-label={t('calls.pairCode')}>
            {code.code}
          </output>
        </>
      ) : (
        <Button block onClick={() => void issuePairing(elderId).then(setCode)}>
          {t('calls.pairIssue')}
        </Button>
      )}
    </Panel>
  );
}

export default function FamilyCallPage() {
  const { t } = useTranslation();
  const { elderId = '' } = useParams();
  const client = useQueryClient();
  const api = useMemo(() => familyApi(elderId), [elderId]);
  const target = useQuery({ queryKey: [CALLS_KEY, 'target', elderId], queryFn: () => callTarget(elderId) });
  const history = useQuery({ queryKey: [CALLS_KEY, 'history', elderId], queryFn: () => api.history() });
  const refresh = () => void client.invalidateQueries({ queryKey: [CALLS_KEY] });
  const { state, stream, start, answer, hangUp, reset } = useCall(api, 'family', { onEnded: refresh });
  const name = target.data?.name ?? '';
  const busy = state.phase === 'calling' || state.phase === 'ringing' || state.phase === 'active';

  return (
    <div className="phone-page">
      <h1>{t('calls.title', { name })}</h1>
      {stream === 'down' && <Notice type="warning">{t('calls.streamDown')}</Notice>}
      {state.error && <Notice type="error">{state.error}</Notice>}
      {state.phase === 'ended' && (
        <EndedNotice
          state={state}
          onDone={() => {
            reset();
            refresh();
          }}
        />
      )}
      {state.phase === 'ringing' && state.call && (
        <div className="call-ring" data-testid="incoming">
          {t('calls.incoming', { name: state.call.elderName })}
        </div>
      )}
      {state.phase === 'calling' && (
        <div className="call-ring" data-testid="calling">
          {t('calls.calling')}
        </div>
      )}
      {state.phase === 'active' && <CallScreen state={state} />}
      <div className="call-actions">
        {state.phase === 'ringing' && (
          <Button type="primary" className="call-answer call-big" onClick={() => void answer()}>
            {t('calls.answer')}
          </Button>
        )}
        {busy && (
          <Button danger type="primary" onClick={() => void hangUp()}>
            {state.phase === 'calling' ? t('calls.cancel') : state.phase === 'ringing' ? t('calls.decline') : t('calls.hangUp')}
          </Button>
        )}
        {!busy && target.data && (
          <>
            <Button type="primary" className="call-big" onClick={() => void start({ kind: 'call', elderPersonId: elderId })}>
              {t('calls.videoCall')}
            </Button>
            <Button disabled={!target.data.lookAllowed} onClick={() => void start({ kind: 'look', elderPersonId: elderId })}>
              {t('calls.look')}
            </Button>
            {!target.data.lookAllowed && <div className="muted">{t('calls.lookNotAllowed')}</div>}
            {!target.data.homeOnline && <Notice type="info">{t('calls.homeOffline')}</Notice>}
          </>
        )}
      </div>
      {!busy && <CallHistory calls={history.data?.items ?? []} show="user" />}
      {!busy && <Pairing elderId={elderId} />}
    </div>
  );
}
