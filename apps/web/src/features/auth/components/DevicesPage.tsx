// 登录设备: where this account is signed in, so that a villager whose phone was lost can sign that
// phone out from another one (issue 15 item 4), without a password. A plain phone page: large text,
// large buttons, and every sign-out asked again before it is done.
import type { SignedInSession } from '@cunzhi/contracts/auth';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { useBackCloses } from '../../../components/SideDrawer.tsx';
import { formatWhen } from '../../../lib/format-time.ts';
import { useDeviceSessions, useEndDeviceSession, useEndOtherSessions } from '../api/device-sessions.ts';
import '../words.ts';
import './devices.css';

function DeviceRow({
  session,
  confirming,
  onAsk,
  onCancel,
  onEnd,
  ending,
}: {
  session: SignedInSession;
  confirming: boolean;
  onAsk(): void;
  onCancel(): void;
  onEnd(): void;
  ending: boolean;
}) {
  const { t } = useTranslation();
  const name = `${t(`devices.system.${session.system}`)} · ${t(`devices.browser.${session.browser}`)}`;
  return (
    <li className="device" data-testid="device" data-current={session.current || undefined}>
      <div className="device-name">
        {name}
        {session.current && <span className="device-current">{t('devices.current')}</span>}
      </div>
      <div className="device-line">{t(`devices.signIn.${session.signIn}`)}</div>
      <div className="device-line">{t('devices.signedInAt', { time: formatWhen(session.createdAt) })}</div>
      <div className="device-line">{t('devices.lastSeen', { time: formatWhen(session.lastSeenAt) })}</div>
      {session.staysUntil && <div className="device-line">{t('devices.staysUntil', { time: formatWhen(session.staysUntil) })}</div>}
      {!session.current &&
        (confirming ? (
          <fieldset className="device-confirm">
            <legend>{t('devices.confirmOne', { name })}</legend>
            <div className="button-row">
              <Button type="primary" danger size="large" loading={ending} onClick={onEnd}>
                {t('devices.confirmEnd')}
              </Button>
              <Button size="large" onClick={onCancel}>
                {t('devices.cancel')}
              </Button>
            </div>
          </fieldset>
        ) : (
          <Button danger size="large" onClick={onAsk} aria-label={`${t('devices.end')} ${name}`}>
            {t('devices.end')}
          </Button>
        ))}
    </li>
  );
}

export default function DevicesPage() {
  const { t } = useTranslation();
  const sessions = useDeviceSessions();
  const endOne = useEndDeviceSession();
  const endOthers = useEndOtherSessions();
  // Which device's sign-out is being asked again ('others' for all the others).
  const [asking, setAsking] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const items = sessions.data?.items ?? [];
  const others = items.filter((s) => !s.current).length;
  const failure = endOne.error ?? endOthers.error ?? sessions.error;
  // The phone's back button closes an open 确定退出 question, as it closes dialogs, and the page stays.
  useBackCloses(asking !== null, () => setAsking(null));

  const end = (id: string) =>
    endOne.mutate(id, {
      onSuccess: () => setDone(t('devices.endedOne')),
      onSettled: () => setAsking(null),
    });
  const endAll = () =>
    endOthers.mutate(undefined, {
      onSuccess: (answer) => setDone(t('devices.endedOthers', { count: answer.ended })),
      onSettled: () => setAsking(null),
    });

  return (
    <Panel title={t('devices.title')}>
      <div className="devices-page">
        <p className="device-hint">{t('devices.hint')}</p>
        {done && (
          <Notice type="success" testId="devices-done">
            {done}
          </Notice>
        )}
        {failure && <Notice type="error">{failure.message}</Notice>}
        {sessions.isLoading ? (
          <div className="item-list-empty">…</div>
        ) : (
          <ul className="device-list">
            {items.map((session) => (
              <DeviceRow
                key={session.id}
                session={session}
                confirming={asking === session.id}
                onAsk={() => {
                  setDone(null);
                  setAsking(session.id);
                }}
                onCancel={() => setAsking(null)}
                onEnd={() => end(session.id)}
                ending={endOne.isPending}
              />
            ))}
          </ul>
        )}
        {others === 0 && !sessions.isLoading && <p className="device-hint">{t('devices.onlyThis')}</p>}
        {others > 0 &&
          (asking === 'others' ? (
            <fieldset className="device-confirm">
              <legend>{t('devices.confirmOthers', { count: others })}</legend>
              <div className="button-row">
                <Button type="primary" danger size="large" loading={endOthers.isPending} onClick={endAll}>
                  {t('devices.confirmEnd')}
                </Button>
                <Button size="large" onClick={() => setAsking(null)}>
                  {t('devices.cancel')}
                </Button>
              </div>
            </fieldset>
          ) : (
            <Button
              danger
              block
              size="large"
              onClick={() => {
                setDone(null);
                setAsking('others');
              }}
            >
              {t('devices.endOthers')}
            </Button>
          ))}
      </div>
    </Panel>
  );
}
