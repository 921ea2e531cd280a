// 亲情通话 on a family member's phone: a video call to the elder's home device, a look at home when
// the elder allows it, the elder's home calling back, the calls so far, and a pairing code for the
// home tablet or TV. Plain (no antd), big buttons, Chinese first.
import '../words.ts';
import '../calls.css';
import type { CallTarget, PairingCode } from '@cunzhi/contracts/care-calls';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
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

/** The code shown until a home device has used it (the page hears 'paired'), then the button again. */
function Pairing({
  elderId,
  code,
  done,
  setCode,
}: {
  elderId: string;
  code?: PairingCode;
  done: boolean;
  setCode(code: PairingCode | undefined): void;
}) {
  const { t } = useTranslation();
  return (
    <Panel title={t('calls.pairTitle')}>
      {done && !code && (
        <Notice type="success" testId="pair-done">
          {t('calls.pairDone')}
        </Notice>
      )}
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
  const history = useQuery({ queryKey: [CALLS_KEY, 'history', elderId], queryFn: () => api.history() });
  const refresh = () => void client.invalidateQueries({ queryKey: [CALLS_KEY] });
  const targetKey = [CALLS_KEY, 'target', elderId];
  const [pairingCode, setPairingCode] = useState<PairingCode | undefined>();
  const [paired, setPaired] = useState(false);
  // What the stream tells overrides what was read; a read still under way may predate it, so it is asked again.
  const follow = (patch: Partial<CallTarget>) => {
    client.setQueryData<CallTarget>(targetKey, (current) => current && { ...current, ...patch });
    if (client.isFetching({ queryKey: targetKey }) > 0) void client.invalidateQueries({ queryKey: targetKey });
  };
  const { state, stream, start, answer, hangUp, reset } = useCall(api, 'family', {
    onEnded: refresh,
    // The elder gave or withdrew the consent to a look on the TV: 看看家里 follows at once.
    onConsent: (consent) => {
      if (consent.elderPersonId === elderId) follow({ lookAllowed: consent.lookAllowed });
    },
    // The TV's page opened or closed: 家里的平板或电视没有打开 follows at once.
    onPresence: (presence) => {
      if (presence.elderPersonId === elderId) follow({ homeOnline: presence.homeOnline });
    },
    // The TV paired with the code shown here: it is used up, so it is no longer shown.
    onPaired: (used) => {
      if (used.elderPersonId !== elderId) return;
      setPairingCode(undefined);
      setPaired(true);
    },
  });
  // Asked once the stream has answered (open, or failed): a consent given between the read and the
  // stream's opening would otherwise never reach this page.
  const [streamAnswered, setStreamAnswered] = useState(false);
  const target = useQuery({ queryKey: targetKey, queryFn: () => callTarget(elderId), enabled: streamAnswered });
  // Back from a break in the stream: what changed meanwhile (the consent, calls) was never streamed.
  const wasDown = useRef(false);
  useEffect(() => {
    if (stream !== 'connecting') setStreamAnswered(true);
    if (stream === 'down') wasDown.current = true;
    if (stream === 'open' && wasDown.current) {
      wasDown.current = false;
      void client.invalidateQueries({ queryKey: [CALLS_KEY] });
    }
  }, [stream, client]);
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
            {!target.data.lookAllowed && (
              <p className="disabled-why" data-testid="look-why">
                {t('calls.lookNotAllowed')}
              </p>
            )}
            {!target.data.homeOnline && (
              <Notice type="info" testId="home-offline">
                {t('calls.homeOffline')}
              </Notice>
            )}
          </>
        )}
      </div>
      {!busy && <CallHistory calls={history.data?.items ?? []} show="user" />}
      {!busy && <Pairing elderId={elderId} code={pairingCode} done={paired} setCode={setPairingCode} />}
    </div>
  );
}
