// The elder's home device (a tablet or a TV box's browser): paired once with a code from the family's
// phone, then one huge 接听 button when someone calls, answered by itself for the family members the
// elder named, one button to call each family member and the caretaker, a red banner whenever
// someone is looking at home (with a button that stops it at once), and the elder's settings.
// Signed in by its own key (no account, no password): nothing here needs an 87-year-old to log in.
import '../words.ts';
import '../calls.css';
import type { HomeView } from '@cunzhi/contracts/care-calls';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { CheckLine, Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { forgetHomeKey, homeApi, pairHome, storedHomeKey } from '../api/calls.ts';
import { useCall } from '../use-call.ts';
import { CallHistory } from './CallHistory.tsx';
import { CallScreen, EndedNotice } from './CallScreen.tsx';

const HOME_KEY = ['calls', 'home'];

function PairForm({ onPaired }: { onPaired(): void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const pair = async () => {
    try {
      await pairHome(code);
      onPaired();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <div className="home-device">
      <h1>{t('calls.home.pairPrompt')}</h1>
      <input
        className="code"
        inputMode="numeric"
        maxLength={8}
        value={code}
        aria-label={t('calls.pairCode')}
        onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
      />
      {error && <Notice type="error">{error}</Notice>}
      <div className="call-actions">
        <Button type="primary" className="call-big" disabled={code.length !== 8} onClick={() => void pair()}>
          {t('calls.home.pairButton')}
        </Button>
      </div>
    </div>
  );
}

function Home({ deviceKey, onForget }: { deviceKey: string; onForget(): void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const api = useMemo(() => homeApi(deviceKey), [deviceKey]);
  const view = useQuery({
    queryKey: HOME_KEY,
    queryFn: () => api.view(),
    retry: (count, error) => !(error instanceof ApiError && error.status === 401) && count < 3,
  });
  const history = useQuery({ queryKey: [...HOME_KEY, 'history'], queryFn: () => api.history() });
  const refresh = () => void client.invalidateQueries({ queryKey: HOME_KEY });
  const { state, start, answer, hangUp, reset } = useCall(api, 'home', { onSettings: refresh, onEnded: refresh });
  // Unpaired at the county (or the key is gone): back to the pairing form.
  const refused = view.error instanceof ApiError && view.error.status === 401;
  useEffect(() => {
    if (!refused) return;
    forgetHomeKey();
    onForget();
  }, [refused, onForget]);
  const home = view.data;
  const save = async (next: Pick<HomeView, 'lookConsent'> & { autoAnswerUserIds: string[] }) => {
    await api.saveSettings(next);
    refresh();
  };
  const autoAnswerIds = (home?.contacts ?? []).filter((c) => c.autoAnswer).map((c) => c.userId);
  const looking = state.phase === 'active' && state.call?.kind === 'look';
  const caller = state.call?.userName ?? '';

  return (
    <div className="home-device">
      {looking && (
        <div className="looking-banner" data-testid="looking-banner" role="alert">
          <span>{t('calls.home.looking', { name: caller })}</span>
          <Button
            danger
            type="primary"
            className="stop-looking"
            onClick={() => home && void save({ lookConsent: false, autoAnswerUserIds: autoAnswerIds })}
          >
            {t('calls.home.stopLooking')}
          </Button>
        </div>
      )}
      <h1>{t('calls.home.title', { name: home?.elderName ?? '' })}</h1>
      {state.phase === 'ended' && <EndedNotice state={state} onDone={reset} />}
      {state.phase === 'ringing' && state.call && (
        <>
          <div className="call-ring" data-testid="incoming">
            {t(state.call.kind === 'look' ? 'calls.incomingLook' : 'calls.incoming', { name: caller })}
          </div>
          <div className="call-actions">
            <Button type="primary" className="call-answer call-big" onClick={() => void answer()}>
              {t('calls.answer')}
            </Button>
            <Button onClick={() => void hangUp()}>{t('calls.decline')}</Button>
          </div>
        </>
      )}
      {state.phase === 'calling' && (
        <>
          <div className="call-ring">{t('calls.calling')}</div>
          <div className="call-actions">
            <Button danger type="primary" className="call-big" onClick={() => void hangUp()}>
              {t('calls.cancel')}
            </Button>
          </div>
        </>
      )}
      {state.phase === 'active' && !looking && (
        <>
          <CallScreen state={state} />
          <div className="call-actions">
            <Button danger type="primary" className="call-big" onClick={() => void hangUp()}>
              {t('calls.hangUp')}
            </Button>
          </div>
        </>
      )}
      {(state.phase === 'idle' || state.phase === 'ended' || looking) && home && (
        <>
          <div className="call-actions">
            {home.contacts.map((contact) => (
              <Button
                key={contact.userId}
                type="primary"
                className="call-big"
                disabled={looking}
                onClick={() => void start({ kind: 'call', userId: contact.userId })}
              >
                {t('calls.home.callTo', {
                  name: contact.relation === 'caretaker' ? `${t('calls.home.caretaker')}${contact.name}` : contact.name,
                })}
              </Button>
            ))}
          </div>
          <CallHistory calls={history.data?.items ?? []} show="user" />
          <Panel title={t('calls.home.settings')}>
            <CheckLine checked={home.lookConsent} onChange={(on) => void save({ lookConsent: on, autoAnswerUserIds: autoAnswerIds })}>
              {t('calls.home.allowLook')}
            </CheckLine>
            {home.contacts
              .filter((c) => c.relation === 'family')
              .map((contact) => (
                <CheckLine
                  key={contact.userId}
                  checked={contact.autoAnswer}
                  onChange={(on) =>
                    void save({
                      lookConsent: home.lookConsent,
                      autoAnswerUserIds: on ? [...autoAnswerIds, contact.userId] : autoAnswerIds.filter((id) => id !== contact.userId),
                    })
                  }
                >
                  {t('calls.home.autoAnswer', { name: contact.name })}
                </CheckLine>
              ))}
            <Button
              onClick={() =>
                void api
                  .revoke()
                  .catch(() => undefined)
                  .finally(() => {
                    forgetHomeKey();
                    onForget();
                  })
              }
            >
              {t('calls.home.forget')}
            </Button>
          </Panel>
        </>
      )}
    </div>
  );
}

export default function HomeDevicePage() {
  const [key, setKey] = useState(storedHomeKey);
  const forget = useCallback(() => setKey(null), []);
  if (!key) return <PairForm onPaired={() => setKey(storedHomeKey())} />;
  return <Home deviceKey={key} onForget={forget} />;
}
