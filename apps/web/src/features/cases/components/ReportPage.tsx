// 民事直说 on a phone: tap a kind of problem, write a line, take a photo, send. Sent through the
// outbox, so a report made without signal goes out when the phone is back online.
import '../words.ts';
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckLine, Notice, TextArea } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { useHousehold } from '../../../lib/households.ts';
import { newId } from '../../../lib/new-id.ts';
import { useSession } from '../../../lib/session.ts';
import { addCasePhoto, reportCase, useCategories } from '../api/cases.ts';

export default function ReportPage() {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const household = useHousehold(session?.user.householdId ?? undefined);
  const categories = useCategories();
  const [categoryId, setCategoryId] = useState<string>();
  const [text, setText] = useState('');
  const [photo, setPhoto] = useState<File>();
  const [anonymous, setAnonymous] = useState(false);
  const [exposure, setExposure] = useState(false);
  const [done, setDone] = useState<'sent' | 'queued'>();

  if (!session?.user.householdId) return <Notice type="info">{t('common.noHousehold')}</Notice>;
  const category = categories.data?.items.find((c) => c.id === categoryId);
  const name = (c: { name: string; nameEn: string | null }) => (i18n.language === 'en' && c.nameEn ? c.nameEn : c.name);

  const submit = async () => {
    if (!category || !household.data || text.trim().length === 0) return;
    const id = newId();
    const description = text.trim();
    await reportCase(
      {
        id,
        source: exposure ? 'exposureBoard' : 'villagerVoice',
        channel: 'app',
        categoryId: category.id,
        regionId: household.data.regionId,
        title: `${category.name}：${description.slice(0, 30)}`,
        description,
        anonymous,
      },
      `${t('cases.report.title')}：${description.slice(0, 20)}`,
    );
    if (photo) await addCasePhoto(id, 'report', photo, t('cases.report.photo'));
    setDone(navigator.onLine ? 'sent' : 'queued');
    setText('');
    setPhoto(undefined);
    setCategoryId(undefined);
  };

  return (
    <div className="phone-page">
      <OutboxBanner />
      {done && (
        <Notice type="success" onClose={() => setDone(undefined)}>
          {t(`cases.report.${done}`)}
        </Notice>
      )}
      <Panel title={t('cases.report.chooseCategory')}>
        <div className="choice-grid">
          {categories.data?.items.map((c) => (
            <button
              type="button"
              key={c.id}
              className={c.id === categoryId ? 'choice selected' : 'choice'}
              aria-pressed={c.id === categoryId}
              onClick={() => setCategoryId(c.id)}
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
            onChange={(e) => setText(e.target.value)}
          />
          <label className="photo-input">
            {photo ? `📷 ${photo.name}` : t('cases.report.photo')}
            <input type="file" accept="image/*" capture="environment" onChange={(e) => setPhoto(e.target.files?.[0])} hidden />
          </label>
          <CheckLine checked={anonymous} onChange={setAnonymous}>
            {t('cases.report.anonymous')}
          </CheckLine>
          <CheckLine checked={exposure} onChange={setExposure}>
            {t('cases.report.exposure')}
          </CheckLine>
          <Button
            type="primary"
            size="large"
            block
            disabled={text.trim().length === 0}
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
