// 记农情 on a household's phone: which plot or flock, what was seen (how it grows, a pest or
// disease from the county's list, deaths, a yield, a sale with its price), when, a line of words and
// up to six photos. Like the report page, each photo is made small on the phone first (a file that is not a
// picture is refused here, with nothing sent) and everything goes through the outbox: made without
// signal, it goes when the phone is back online.
import '../words.ts';
import '../agri.css';
import {
  MAX_HEAD_COUNT,
  MAX_OBSERVATION_PHOTOS,
  OBSERVATION_KIND_LABELS,
  OBSERVATION_KINDS,
  type ObservationKind,
  PEST_LABELS,
  PESTS,
} from '@cunzhi/contracts/agri';
import type { ObservationInput } from '@cunzhi/contracts/agri-farms';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { Notice, TextArea } from '../../../components/Light.tsx';
import { OutboxBanner } from '../../../components/OutboxBanner.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { PhotoPicker } from '../../../components/PhotoPicker.tsx';
import { useSession } from '../../../lib/session.ts';
import { usePhotoSend } from '../../../lib/use-photo-send.ts';
import { agriCommands, queuePhoto } from '../api/agri-commands.ts';
import { useFarm } from '../api/farm.ts';
import { amountProblem, countProblem, type Problem, pastDateProblem, textProblem, todayInChina } from '../farm-input.ts';
import { labelOf, stageName, stagesFor } from '../labels.ts';
import { Field } from './Field.tsx';
import { NoFarm } from './NoFarm.tsx';

type Outcome = { type: 'success' | 'error'; text: string };
const MAX_KG = 10_000_000;
const MAX_PRICE = 100_000;

export default function ObservePage() {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const householdId = session?.user.householdId ?? undefined;
  const farm = useFarm(householdId);
  const [params] = useSearchParams();
  const [subject, setSubject] = useState(() =>
    params.get('plot') ? `plot:${params.get('plot')}` : params.get('flock') ? `flock:${params.get('flock')}` : '',
  );
  const [kind, setKind] = useState<ObservationKind>('growth');
  const [values, setValues] = useState<Record<string, string>>({ observedOn: todayInChina() });
  const [problems, setProblems] = useState<Record<string, Problem | undefined>>({});
  const [photos, setPhotos] = useState<File[]>([]);
  const [tooMany, setTooMany] = useState(false);
  const { sending, send } = usePhotoSend();
  const [outcome, setOutcome] = useState<Outcome>();

  if (session && !householdId) return <NoFarm />;
  if (!householdId || !farm.isSuccess) return null;
  const plots = farm.data?.plots ?? [];
  const flocks = farm.data?.flocks ?? [];
  const [subjectType, subjectId] = subject.split(':') as ['plot' | 'flock' | '', string | undefined];
  const flock = flocks.find((f) => f.id === subjectId);
  const subjectName = [...plots, ...flocks].find((s) => s.id === subjectId)?.name ?? '';
  const forAnimal = subjectType === 'flock';
  const kinds = OBSERVATION_KINDS.filter((k) => k !== 'death' || forAnimal);
  const set = (name: string) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setProblems((p) => ({ ...p, [name]: undefined }));
  };
  const say = (name: string) => {
    const problem = problems[name];
    return problem ? t(problem.key, problem.values) : undefined;
  };
  const v = (name: string) => values[name] ?? '';

  const submit = async () => {
    if (sending) return;
    const found = {
      subject: subjectId ? undefined : { key: 'agri.problems.chooseSubject' },
      observedOn: pastDateProblem(v('observedOn'), todayInChina()),
      pest: kind === 'pest' && !v('pest') ? { key: 'agri.problems.choose' } : undefined,
      deaths: kind === 'death' ? countProblem(v('deaths'), 1, flock?.headCount ?? MAX_HEAD_COUNT) : undefined,
      quantityKg:
        kind === 'yield' || kind === 'sale'
          ? (amountProblem(v('quantityKg'), MAX_KG) ?? (Number(v('quantityKg')) === 0 ? { key: 'agri.problems.zero' } : undefined))
          : undefined,
      priceYuanPerKg:
        kind === 'sale'
          ? (amountProblem(v('priceYuanPerKg'), MAX_PRICE) ??
            (Number(v('priceYuanPerKg')) === 0 ? { key: 'agri.problems.zero' } : undefined))
          : undefined,
      note: textProblem(v('note'), 1000, true),
    };
    setProblems(found);
    if (Object.values(found).some(Boolean) || !subjectId) return;
    setOutcome(undefined);
    const result = await send(photos, async (small) => {
      const label = `${t('agri.observe.title')}：${subjectName}`;
      const photoKeys: string[] = [];
      for (const [i, blob] of small.entries()) {
        photoKeys.push(await queuePhoto(blob, `${label}（${t('agri.photoNumber', { number: i + 1 })}）`));
      }
      const input: Omit<ObservationInput, 'photoIds'> = {
        ...(subjectType === 'plot' ? { plotId: subjectId } : { flockId: subjectId }),
        kind,
        observedOn: v('observedOn'),
        ...(kind === 'growth' && v('growthStage') ? { growthStage: v('growthStage') as ObservationInput['growthStage'] } : {}),
        ...(kind === 'pest' ? { pest: v('pest') as ObservationInput['pest'] } : {}),
        ...(kind === 'death' ? { deaths: Number(v('deaths')) } : {}),
        ...(kind === 'yield' || kind === 'sale' ? { quantityKg: Number(v('quantityKg')) } : {}),
        ...(kind === 'sale' ? { priceYuanPerKg: Number(v('priceYuanPerKg')) } : {}),
        ...(v('note').trim() ? { note: v('note').trim() } : {}),
      };
      await agriCommands.queue(
        'agri.observe',
        { householdId, input: { ...input, photoKeys } },
        { label, subjectId, action: 'agri.observe' },
      );
    });
    if (result.status === 'busy') return;
    if (result.status === 'refused') return setOutcome({ type: 'error', text: t(`agri.photoRefused.${result.problem}`) });
    if (result.status === 'failed') return setOutcome({ type: 'error', text: t('agri.observe.failed') });
    setOutcome({ type: 'success', text: t(navigator.onLine ? 'agri.observe.sent' : 'agri.observe.queued', { name: subjectName }) });
    setValues({ observedOn: todayInChina() });
    setPhotos([]);
    setTooMany(false);
  };

  const choice = (key: string, selected: boolean, label: string, onClick: () => void) => (
    <button type="button" key={key} className={selected ? 'choice selected' : 'choice'} aria-pressed={selected} onClick={onClick}>
      {label}
    </button>
  );
  const sale = Number(v('quantityKg')) * Number(v('priceYuanPerKg'));
  return (
    <div className="phone-page">
      <h1 className="agri-title">{t('agri.observe.title')}</h1>
      <OutboxBanner />
      {outcome?.type === 'success' && (
        <Notice type={outcome.type} onClose={() => setOutcome(undefined)} testId="observe-outcome">
          {outcome.text}
        </Notice>
      )}
      {plots.length + flocks.length === 0 ? (
        <Panel>
          <p>{t('agri.observe.nothingYet')}</p>
          <Link className="big-button big-button-primary" to="/m/agri">
            {t('agri.farm.title')}
          </Link>
        </Panel>
      ) : (
        <Panel title={t('agri.observe.which')}>
          <fieldset className="choice-grid agri-choices" aria-label={t('agri.observe.which')}>
            {plots.map((p) =>
              choice(p.id, subjectId === p.id, p.name, () => {
                setSubject(`plot:${p.id}`);
                // Deaths are counted in flocks only.
                setKind((k) => (k === 'death' ? 'growth' : k));
              }),
            )}
            {flocks.map((f) => choice(f.id, subjectId === f.id, f.name, () => setSubject(`flock:${f.id}`)))}
          </fieldset>
          {say('subject') && <p className="agri-field-problem">{say('subject')}</p>}
        </Panel>
      )}
      {subjectId && (
        <Panel title={t('agri.observe.what')}>
          <fieldset className="choice-grid agri-choices" aria-label={t('agri.observe.what')}>
            {kinds.map((k) => choice(k, kind === k, labelOf(OBSERVATION_KIND_LABELS, k, i18n.language), () => setKind(k)))}
          </fieldset>
          <Field label={t('agri.observe.observedOn')} problem={say('observedOn')}>
            <input
              className="text-input"
              type="date"
              max={todayInChina()}
              value={v('observedOn')}
              onChange={(e) => set('observedOn')(e.target.value)}
            />
          </Field>
          {kind === 'growth' && (
            <Field label={t('agri.farm.stage')}>
              <select className="text-input" value={v('growthStage')} onChange={(e) => set('growthStage')(e.target.value)}>
                <option value="">{t('agri.farm.noStage')}</option>
                {stagesFor(forAnimal ? 'animal' : 'crop').map((stage) => (
                  <option key={stage} value={stage}>
                    {stageName(stage, i18n.language)}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {kind === 'pest' && (
            <Field label={t('agri.observe.pest')} problem={say('pest')}>
              <select className="text-input" value={v('pest')} onChange={(e) => set('pest')(e.target.value)}>
                <option value="">{t('agri.observe.choosePest')}</option>
                {PESTS.filter((p) => p === 'other' || PEST_LABELS[p].for === (forAnimal ? 'animal' : 'crop')).map((p) => (
                  <option key={p} value={p}>
                    {labelOf(PEST_LABELS, p, i18n.language)}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {kind === 'death' && (
            <Field
              label={t('agri.observe.deaths')}
              hint={flock && t('agri.observe.deathsHint', { count: flock.headCount })}
              problem={say('deaths')}
            >
              <input className="text-input" inputMode="numeric" value={v('deaths')} onChange={(e) => set('deaths')(e.target.value)} />
            </Field>
          )}
          {(kind === 'yield' || kind === 'sale') && (
            <Field label={t('agri.observe.quantityKg')} problem={say('quantityKg')}>
              <input
                className="text-input"
                inputMode="decimal"
                value={v('quantityKg')}
                onChange={(e) => set('quantityKg')(e.target.value)}
              />
            </Field>
          )}
          {kind === 'sale' && (
            <Field
              label={t('agri.observe.price')}
              hint={Number.isFinite(sale) && sale > 0 ? t('agri.observe.amountValue', { amount: Number(sale.toFixed(2)) }) : undefined}
              problem={say('priceYuanPerKg')}
            >
              <input
                className="text-input"
                inputMode="decimal"
                value={v('priceYuanPerKg')}
                onChange={(e) => set('priceYuanPerKg')(e.target.value)}
              />
            </Field>
          )}
          <Field label={t('agri.observe.note')} problem={say('note')}>
            <TextArea
              rows={3}
              maxLength={1000}
              value={v('note')}
              placeholder={t('agri.observe.notePlaceholder')}
              onChange={(e) => set('note')(e.target.value)}
            />
          </Field>
          {/* Up to MAX_OBSERVATION_PHOTOS, taken one after another or chosen together: a leaf, the tree, the orchard. */}
          <PhotoPicker
            label={t('agri.photo')}
            caption={t('agri.photos', { max: MAX_OBSERVATION_PHOTOS })}
            max={MAX_OBSERVATION_PHOTOS}
            photos={photos}
            onChange={(next, { chosen, tooMany }) => {
              setPhotos(next);
              setTooMany(tooMany);
              if (chosen) setOutcome(undefined);
            }}
            hint={
              <p className="agri-field-hint" data-testid="photo-count">
                {t('agri.photoCount', { count: photos.length, max: MAX_OBSERVATION_PHOTOS })}
                {tooMany && ` ${t('agri.photoTooMany', { max: MAX_OBSERVATION_PHOTOS })}`}
              </p>
            }
            remove={{ each: (number) => t('agri.removePhotoNumber', { number }) }}
          />
          {/* A refusal is said beside the button that was tapped, not at the top of a long form. */}
          {outcome?.type === 'error' && (
            <Notice type="error" onClose={() => setOutcome(undefined)} testId="observe-outcome" reveal>
              {outcome.text}
            </Notice>
          )}
          <Button
            type="primary"
            size="large"
            block
            loading={sending}
            disabled={sending}
            onClick={() => void submit()}
            style={{ marginTop: 12 }}
          >
            {t('agri.observe.submit')}
          </Button>
        </Panel>
      )}
    </div>
  );
}
