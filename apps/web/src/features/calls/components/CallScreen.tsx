// The call on screen: the other side's video large, mine small (muted), what is happening, and why
// the picture stopped when the network made it voice only.
import '../words.ts';
import '../calls.css';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../../components/Light.tsx';
import type { CallState } from '../use-call.ts';

function Video({ stream, muted, className, testId }: { stream?: MediaStream; muted: boolean; className: string; testId: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && stream && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return <video ref={ref} className={className} data-testid={testId} autoPlay playsInline muted={muted} />;
}

export function CallScreen({ state }: { state: CallState }) {
  const { t } = useTranslation();
  const connected = state.connection === 'connected';
  return (
    <>
      <div className="call-screen">
        <Video stream={state.remote} muted={false} className="remote" testId="remote-video" />
        {state.local && state.local.getVideoTracks().length > 0 && (
          <Video stream={state.local} muted className="local" testId="local-video" />
        )}
        <div className="call-status" data-testid="call-status" data-connection={state.connection ?? 'new'}>
          {connected ? (state.call?.kind === 'look' ? t('calls.watching') : t('calls.inCall')) : t('calls.connecting')}
        </div>
      </div>
      {!state.myVideoOn && <Notice type="warning">{t('calls.myVideoOff')}</Notice>}
      {!state.theirVideoOn && <Notice type="warning">{t('calls.theirVideoOff')}</Notice>}
    </>
  );
}

/** Why the last call ended, in words. */
export function EndedNotice({ state, onDone }: { state: CallState; onDone(): void }) {
  const { t } = useTranslation();
  const reason = state.ended?.reason;
  const key = reason && ['offline', 'busy', 'consent_withdrawn', 'failed'].includes(reason) ? reason : (state.ended?.state ?? 'ended');
  return (
    <Notice type={key === 'ended' ? 'info' : 'warning'} testId="call-ended" onClose={onDone}>
      {t(`calls.ended.${key}`)}
    </Notice>
  );
}
