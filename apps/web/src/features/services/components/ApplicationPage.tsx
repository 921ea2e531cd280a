// One application on a phone: where it stands, its whole history, the materials sent, and for
// each material not sent yet (or asked for again), a photo or PDF to choose and one button that
// sends them (提交材料, or "resubmit" when more materials were asked for).
import '../words.ts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { FilePicker } from '../../../components/FilePicker.tsx';
import { Chip, Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { formatWhen } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { useSession } from '../../../lib/session.ts';
import { SERVICES_KEY, transitionApplication, uploadMaterial, useApplication, useItems } from '../api/services.ts';

/**
 * At the postal outlet the agent hands the result over (送达): asked once more, in words, before it
 * is recorded, since the applicant is told. The same key for the step, so a second tap is the same.
 */
function HandOver({ id, onDone, onError }: { id: string; onDone(): void; onError(message: string): void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [key] = useState(newId);
  const confirm = async () => {
    try {
      await transitionApplication(id, { action: 'deliver' }, key);
      onDone();
    } catch (e) {
      onError((e as Error).message);
    }
  };
  if (!asking)
    return (
      <Button type="primary" block onClick={() => setAsking(true)}>
        {t('services.deliverCollect')}
      </Button>
    );
  return (
    <div role="alertdialog" aria-label={t('services.deliverCollect')}>
      <Notice type="warning">{t('services.handOverAsk')}</Notice>
      <Button type="primary" block onClick={() => void confirm()}>
        {t('services.confirm')}
      </Button>
      <Button block onClick={() => setAsking(false)}>
        {t('services.cancel')}
      </Button>
    </div>
  );
}

export default function ApplicationPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const client = useQueryClient();
  const detail = useApplication(id);
  const { data: session } = useSession();
  const agent = Boolean(session?.user.assignments.some((a) => a.role === 'serviceHallAgent'));
  const [error, setError] = useState<string>();
  // 提交材料 tapped with nothing chosen: said until a file is chosen, not until the next send.
  const [chooseFirst, setChooseFirst] = useState(false);
  // Files chosen on this phone and not sent yet, by material: sent together by the panel's one button.
  const [chosen, setChosen] = useState<Record<string, File>>({});
  const [sending, setSending] = useState(false);
  // How many materials the last tap of 提交材料 sent (0: none since the page opened or a file was chosen).
  const [sentCount, setSentCount] = useState(0);
  const application = detail.data?.application;
  const item = useItems({ q: application?.itemName }).data?.items.find((i) => i.id === application?.itemId);
  if (!application) {
    // An address typed or copied wrong (a malformed id answers 400, an unknown one 404) is not the
    // villager's input being wrong: say the application is not there and offer the way back.
    const missing = detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.code === 'validation_failed');
    if (missing)
      return (
        <div className="phone-page">
          <Panel title={t('services.notFoundTitle')}>
            <p>{t('services.notFound')}</p>
            <div className="button-column">
              <Link className="big-button big-button-primary" to="/m/services">
                {t('services.backToServices')}
              </Link>
              <Link className="big-button" to="/">
                {t('services.backHome')}
              </Link>
            </div>
          </Panel>
        </div>
      );
    return <div className="phone-page">{detail.error && <Notice type="error">{(detail.error as Error).message}</Notice>}</div>;
  }
  const refresh = () => client.invalidateQueries({ queryKey: [SERVICES_KEY] });
  /** Sends the chosen files, then (asked for more materials) hands the application back: one tap. */
  const send = async (then: 'resubmit' | 'none') => {
    setSending(true);
    let count = 0;
    try {
      for (const [material, file] of Object.entries(chosen)) {
        await uploadMaterial(application.id, material, file);
        count++;
        setChosen(({ [material]: _sent, ...left }) => left);
      }
      if (then === 'resubmit') await transitionApplication(application.id, { action: 'resubmit' });
      setError(undefined);
      // Said once the list is read again, so that "still missing" counts what the server now has.
      await refresh();
      setSentCount(then === 'none' ? count : 0);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };
  const editable = application.state === 'submitted' || application.state === 'moreMaterials';
  // What is still wanted: what the desk asked for, or else the required materials (银行卡 that may be
  // left out was counted in "还差3份材料").
  const wanted =
    application.state === 'moreMaterials' ? application.missing : (item?.materials.filter((m) => m.required).map((m) => m.name) ?? []);
  const sent = new Set((detail.data?.materials ?? []).map((m) => m.material));
  const missing = wanted.filter((name) => !sent.has(name));
  return (
    <div className="phone-page">
      <Panel
        title={application.itemName}
        extra={<Chip colour={application.overdue ? 'red' : 'blue'}>{t(`services.states.${application.state}`)}</Chip>}
      >
        <div className="muted">
          {application.applicantName} · {t(`services.channels.${application.channel}`)}
          {application.dueAt && ` · ${t('services.due')} ${formatWhen(application.dueAt)}`}
          {application.trackingNumber && ` · ${t('services.tracking')} ${application.trackingNumber}`}
        </div>
        {application.state === 'moreMaterials' && (
          <Notice type="warning">{t('services.asked', { names: application.missing.join('、') })}</Notice>
        )}
        {application.reason && <Notice type="error">{application.reason}</Notice>}
        {application.state === 'approved' && (
          <Notice type="success">
            {application.delivery === 'mail'
              ? t('services.readyToMail', { address: application.address ?? '' })
              : t('services.readyToCollect')}
          </Notice>
        )}
        {application.state === 'delivered' && application.deliveredAt && (
          <Notice type="success" testId="delivered-notice">
            {t('services.deliveredNotice', { at: formatWhen(application.deliveredAt), by: application.deliveredBy ?? '' })}
          </Notice>
        )}
        {(application.state === 'approved' || application.state === 'delivered') && (
          <p>
            {application.certificateNumber && (
              <span className="muted">
                {t('services.certificateNumber')} {application.certificateNumber} ·{' '}
              </span>
            )}
            <a href={`/api/services/applications/${application.id}/certificate.pdf`} target="_blank" rel="noreferrer">
              {t('services.certificate')}
            </a>
          </p>
        )}
        {agent && application.state === 'approved' && application.delivery === 'collect' && (
          <HandOver id={application.id} onDone={() => void refresh()} onError={setError} />
        )}
      </Panel>
      {editable && wanted.length > 0 && (
        <Panel title={t('services.materials')}>
          {/* Each material is either sent (said so, nothing to fill in) or has a picker; whatever is
              chosen goes with the one button below, so that no slot is left without a way to send it. */}
          {wanted.map((name) =>
            sent.has(name) && application.state === 'submitted' ? (
              <p key={name} className="material-sent" data-testid="material-sent">
                {name} <Chip colour="green">{t('services.sent')}</Chip>
              </p>
            ) : (
              <FilePicker
                key={name}
                label={name}
                caption={
                  <>
                    {name} {sent.has(name) && <Chip colour="green">{t('services.sent')}</Chip>}
                  </>
                }
                kind="file"
                accept="image/*,application/pdf"
                chosen={chosen[name] ? [chosen[name].name] : []}
                onChoose={([file]) => {
                  if (!file) return;
                  setSentCount(0);
                  setChooseFirst(false);
                  setChosen((c) => ({ ...c, [name]: file }));
                }}
              />
            ),
          )}
          {application.state === 'moreMaterials' ? (
            <Button type="primary" block disabled={sending} onClick={() => void send('resubmit')}>
              {t('services.resubmit')}
            </Button>
          ) : missing.length > 0 ? (
            <>
              <Button
                type="primary"
                block
                disabled={sending}
                onClick={() => (Object.keys(chosen).length === 0 ? setChooseFirst(true) : void send('none'))}
              >
                {t('services.submitMaterials')}
              </Button>
              {chooseFirst && (
                <Notice type="error" testId="choose-first" reveal>
                  {t('services.chooseFirst')}
                </Notice>
              )}
              {/* Until every material is in, what was sent and what is still to send: never "please wait" with two missing. */}
              {sentCount > 0 && (
                <Notice type="success" testId="materials-sent">
                  {t('services.materialsSent', { count: sentCount })}
                </Notice>
              )}
              <Notice type="warning" testId="materials-missing">
                {t('services.materialsMissing', { count: missing.length, names: missing.join('、') })}
              </Notice>
            </>
          ) : (
            <Notice type="info" testId="materials-complete">
              {t('services.allMaterialsSent')}
            </Notice>
          )}
        </Panel>
      )}
      {error && <Notice type="error">{error}</Notice>}
      <Panel title={t('services.history')}>
        <ul className="plain-list" data-testid="application-history">
          {(detail.data?.history ?? []).map((h) => (
            <li key={`${h.at}-${h.action}`}>
              {formatWhen(h.at)} · {t(`services.actions.${h.action}`, { defaultValue: h.action })}
              {h.note && ` · ${h.note}`}
            </li>
          ))}
        </ul>
      </Panel>
    </div>
  );
}
