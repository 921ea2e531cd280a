// 民事直说 on a phone: tap a kind of problem, write a line, take a photo, send. Sent through the
// outbox, so a report made without signal goes out when the phone is back online. The form is one
// report: its id is minted once (a second tap sends nothing more), the photo is made small on the
// phone first, the phone's position goes with it when the person allows, and the half-written text
// is kept if they go back.
import '../words.ts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { CheckLine, Notice, TextArea } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { PhotoPicker } from '../../../components/PhotoPicker.tsx';
import { useHousehold } from '../../../lib/households.ts';
import { useSession } from '../../../lib/session.ts';
import { usePhotoSend } from '../../../lib/use-photo-send.ts';
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
  const [photos, setPhotos] = useState<File[]>([]);
  const { sending, send } = usePhotoSend();
  const [outcome, setOutcome] = useState<Outcome>();

  if (!session?.user.householdId) return <Notice type="info">{t('common.noHousehold')}</Notice>;
  const category = categories.data?.items.find((c) => c.id === draft.categoryId);
  const name = (c: { name: string; nameEn: string | null }) => (i18n.language === 'en' && c.nameEn ? c.nameEn : c.name);
  const text = draft.text;

  const submit = async () => {
    if (!category || !household.data || text.trim().length === 0) return;
    const regionId = household.data.regionId;
    setOutcome(undefined);
    const result = await send(photos, async ([small]) => {
      const description = text.trim();
      const where = position.status === 'found' ? position.position : undefined;
      await reportCase(
        {
          id: draft.id,
          source: draft.exposure ? 'exposureBoard' : 'villagerVoice',
          channel: 'app',
          categoryId: category.id,
          regionId,
          title: `${category.name}：${description.slice(0, 30)}`,
          description,
          anonymous: draft.anonymous,
          ...where,
        },
        `${t('cases.report.title')}：${description.slice(0, 20)}`,
      );
      if (small) await addCasePhoto(draft.id, 'report', small, t('cases.report.photo'));
    });
    if (result.status === 'busy') return;
    if (result.status === 'refused') return setOutcome({ type: 'error', key: `cases.report.photoRefused.${result.problem}` });
    if (result.status === 'failed') return setOutcome({ type: 'error', key: 'cases.report.failed' });
    setOutcome({ type: 'success', key: navigator.onLine ? 'sent' : 'queued' });
    clear();
    setPhotos([]);
  };

  const place = household.data?.regionName ?? '';
  return (
    <div className="phone-page">
      <OutboxBanner />
      {outcome?.type === 'success' && (
        <Notice type="success" onClose={() => setOutcome(undefined)}>
          {t(`cases.report.${outcome.key}`)}
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
          <PhotoPicker
            label={t('cases.report.photo')}
            caption={t('cases.report.photo')}
            max={1}
            photos={photos}
            onChange={(next, { chosen }) => {
              setPhotos(next);
              if (chosen) setOutcome(undefined);
            }}
            remove={{ all: t('cases.report.removePhoto') }}
          />
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
          {/* A refusal is said beside the button that was tapped, not at the top of a long form. */}
          {outcome?.type === 'error' && (
            <Notice type="error" onClose={() => setOutcome(undefined)} testId="report-outcome" reveal>
              {t(outcome.key)}
            </Notice>
          )}
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
