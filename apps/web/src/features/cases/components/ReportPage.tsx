// 民事直说 on a phone: tap a kind of problem, write a line, take a photo, send. Sent through the
// outbox, so a report made without signal goes out when the phone is back online. The form is one
// report: its id is minted once (a second tap sends nothing more), the photo is made small on the
// phone first, the phone's position goes with it when the person allows, and the half-written text
// is kept if they go back. Once sent it says the case's number (or, saved offline, that it gets one
// when sent) and opens 我的反映; a position refused or not found can be asked for again.
import '../words.ts';
import { FINDING_CASE_CATEGORY_CODE } from '@cunzhi/contracts/case-category-codes';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { CheckLine, Notice, TextArea } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { PhotoPicker } from '../../../components/PhotoPicker.tsx';
import { useHousehold } from '../../../lib/households.ts';
import { dismissSentLateOf } from '../../../lib/outbox.ts';
import { useSession } from '../../../lib/session.ts';
import { usePhotoSend } from '../../../lib/use-photo-send.ts';
import { useRefreshWhenSent } from '../../../lib/use-refresh-when-sent.ts';
import { addCasePhoto, CASES_KEY, reportCase, useCase, useCategories } from '../api/cases.ts';
import { useReportDraft } from '../report-draft.ts';
import { usePosition } from '../report-position.ts';

type Outcome = { type: 'success'; key: 'sent' | 'queued'; caseId: string } | { type: 'error'; key: string };

/**
 * What a sent report says: sent, with its number once the server has it (read again when the
 * outbox delivers it), or saved offline, to get a number when sent; and the way to 我的反映.
 */
function Sent({ caseId, queued, onClose }: { caseId: string; queued: boolean; onClose(): void }) {
  const { t } = useTranslation();
  // The case is read again when the outbox has sent it (a read before that finds nothing yet).
  useRefreshWhenSent(CASES_KEY);
  const sent = useCase(caseId);
  const number = sent.data?.number;
  // This notice says it went, with the number: the outbox's line for the same report would say it twice.
  useEffect(() => {
    if (number) dismissSentLateOf(caseId);
  }, [number, caseId]);
  return (
    <Notice type="success" onClose={onClose} testId="report-sent">
      <p>{t(queued && !number ? 'cases.report.queued' : 'cases.report.sent')}</p>
      <p data-testid="report-number">
        {number ? (
          <Link className="big-button" to={`/cases/${caseId}`}>
            {t('cases.report.numberLabel')}
            <span className="nowrap">{number}</span>
          </Link>
        ) : (
          t(queued ? 'cases.report.numberWhenSent' : 'cases.report.numberComing')
        )}
      </p>
      <p className="button-row">
        <Link className="big-button big-button-primary" to="/m/cases">
          {t('cases.report.openMine')}
        </Link>
        <Link className="big-button" to="/">
          {t('cases.backHome')}
        </Link>
      </p>
    </Notice>
  );
}

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
      // Said as what it is, the report's photo, not as the form's field ("拍照（可选）").
      if (small) await addCasePhoto(draft.id, 'report', small, t('cases.report.photoOf', { what: description.slice(0, 20) }));
    });
    if (result.status === 'busy') return;
    if (result.status === 'refused') return setOutcome({ type: 'error', key: `cases.report.photoRefused.${result.problem}` });
    if (result.status === 'failed') return setOutcome({ type: 'error', key: 'cases.report.failed' });
    setOutcome({ type: 'success', key: navigator.onLine ? 'sent' : 'queued', caseId: draft.id });
    clear();
    setPhotos([]);
  };

  const place = household.data?.regionName ?? '';
  return (
    <div className="phone-page">
      {/* The name on the home tile and in the menu, and in the sent message's 我的反映. */}
      <h1 className="phone-page-title">{t('cases.report.title')}</h1>
      <OutboxBanner />
      {outcome?.type === 'success' && (
        <Sent key={outcome.caseId} caseId={outcome.caseId} queued={outcome.key === 'queued'} onClose={() => setOutcome(undefined)} />
      )}
      <Panel title={t('cases.report.chooseCategory')}>
        <div className="choice-grid">
          {/* The cameras' own 乱搭乱建 category is theirs: a villager reports building under the county's 乱搭乱建. */}
          {categories.data?.items
            .filter((c) => c.code !== FINDING_CASE_CATEGORY_CODE)
            .map((c) => (
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
            again={t('cases.report.choosePhotoAgain')}
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
          {position.status === 'unavailable' && 'geolocation' in navigator && (
            <button type="button" className="big-button" onClick={position.retry} data-testid="retry-position">
              {t('cases.report.retryPosition')}
            </button>
          )}
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
          {!sending && text.trim().length === 0 && (
            <p className="muted" data-testid="report-needs-text">
              {t('cases.report.needsText')}
            </p>
          )}
        </Panel>
      )}
    </div>
  );
}
