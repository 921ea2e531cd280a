// 民事直说 on a phone: tap a kind of problem, write a line, take a photo, send. Sent through the
// outbox, so a report made without signal goes out when the phone is back online. The form is one
// report: its id is minted once (a second tap sends nothing more), the photo is made small on the
// phone first, the phone's position goes with it when the person allows, and the half-written text
// is kept if they go back.
import '../words.ts';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { FilePicker } from '../../../components/FilePicker.tsx';
import { CheckLine, Notice, TextArea } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { useHousehold } from '../../../lib/households.ts';
import { useSession } from '../../../lib/session.ts';
import { PhotoRefused, shrinkPhoto } from '../../../lib/shrink-photo.ts';
import { addCasePhoto, reportCase, useCategories } from '../api/cases.ts';
import { useReportDraft } from '../report-draft.ts';
import { usePosition } from '../report-position.ts';

type Outcome = { type: 'success'; key: 'sent' | 'queued' } | { type: 'error'; key: string };

export default function ReportPage() {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const household = useHousehold(session?.user.householdId ?? undefined);
  const categories = useCategories();
  const { draft, update, clear } = useReportDraft(session?.user.id);
  const position = usePosition();
  const [photo, setPhoto] = useState<File>();
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  // Set at once on the first tap, before React renders the disabled button: a double tap sends once.
  const busy = useRef(false);

  if (!session?.user.householdId) return <Notice type="info">{t('common.noHousehold')}</Notice>;
  const category = categories.data?.items.find((c) => c.id === draft.categoryId);
  const name = (c: { name: string; nameEn: string | null }) => (i18n.language === 'en' && c.nameEn ? c.nameEn : c.name);
  const text = draft.text;

  const submit = async () => {
    if (busy.current || !category || !household.data || text.trim().length === 0) return;
    busy.current = true;
    setSending(true);
    setOutcome(undefined);
    try {
      // The photo first: a refused one stops everything, and nothing is sent.
      let small: Blob | undefined;
      if (photo) {
        try {
          small = await shrinkPhoto(photo);
        } catch (error) {
          if (error instanceof PhotoRefused) {
            setOutcome({ type: 'error', key: `cases.report.photoRefused.${error.problem}` });
            return;
          }
          throw error;
        }
      }
      const description = text.trim();
      const where = position.status === 'found' ? position.position : undefined;
      await reportCase(
        {
          id: draft.id,
          source: draft.exposure ? 'exposureBoard' : 'villagerVoice',
          channel: 'app',
          categoryId: category.id,
          regionId: household.data.regionId,
          title: `${category.name}：${description.slice(0, 30)}`,
          description,
          anonymous: draft.anonymous,
          ...where,
        },
        `${t('cases.report.title')}：${description.slice(0, 20)}`,
      );
      if (small) await addCasePhoto(draft.id, 'report', small, t('cases.report.photo'));
      setOutcome({ type: 'success', key: navigator.onLine ? 'sent' : 'queued' });
      clear();
      setPhoto(undefined);
    } catch {
      setOutcome({ type: 'error', key: 'cases.report.failed' });
    } finally {
      busy.current = false;
      setSending(false);
    }
  };

  const place = household.data?.regionName ?? '';
  return (
    <div className="phone-page">
      <OutboxBanner />
      {outcome && (
        <Notice type={outcome.type} onClose={() => setOutcome(undefined)}>
          {outcome.type === 'success' ? t(`cases.report.${outcome.key}`) : t(outcome.key)}
        </Notice>
      )}
      <Panel title={t('cases.report.chooseCategory')}>
        <div className="choice-grid">
          {categories.data?.items.map((c) => (
            <button
              type="button"
              key={c.id}
              className={c.id === draft.categoryId ? 'choice selected' : 'choice'}
              aria-pressed={c.id === draft.categoryId}
              onClick={() => update({ categoryId: c.id })}
            >
              {name(c)}
            </button>
          ))}
        </div>
      </Panel>
      {category && (
        <Panel title={t('cases.report.describe')}>
          <TextArea
            aria-label={t('cases.report.describe')}
            rows={4}
            maxLength={4000}
            value={text}
            placeholder={t('cases.report.placeholder')}
            onChange={(e) => update({ text: e.target.value })}
          />
          <FilePicker
            label={t('cases.report.photo')}
            caption={t('cases.report.photo')}
            kind="photo"
            accept="image/*"
            camera
            chosen={photo ? [photo.name] : []}
            resetAfterChoice
            onChoose={([file]) => {
              setPhoto(file);
              setOutcome(undefined);
            }}
          />
          {photo && (
            <Button size="large" onClick={() => setPhoto(undefined)}>
              {t('cases.report.removePhoto')}
            </Button>
          )}
          <CheckLine checked={draft.anonymous} onChange={(anonymous) => update({ anonymous })}>
            {t('cases.report.anonymous')}
          </CheckLine>
          <CheckLine checked={draft.exposure} onChange={(exposure) => update({ exposure })}>
            {t('cases.report.exposure')}
          </CheckLine>
          <p className="muted" data-testid="report-position">
            {position.status === 'found'
              ? t('cases.report.positionFound')
              : position.status === 'asking'
                ? t('cases.report.positionAsking')
                : t('cases.report.positionUnavailable', { place })}
          </p>
          <p className="muted">{t('cases.report.draftKept')}</p>
          <Button
            type="primary"
            size="large"
            block
            loading={sending}
            disabled={sending || text.trim().length === 0}
            onClick={() => void submit()}
            style={{ marginTop: 12 }}
          >
            {t('cases.report.submit')}
          </Button>
        </Panel>
      )}
    </div>
  );
}
