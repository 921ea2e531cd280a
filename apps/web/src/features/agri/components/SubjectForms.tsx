// Adding or changing a plot or a flock on the phone, without antd. Each box is checked as the
// server will check it (farm-input.ts) and a problem is written under the box that has it: an area
// of 0 or 20,000 mu, a head count of 2.5, a planting date next week. What the server still refuses
// lands under its box too (validation_failed names the field), or at the top when it names none.
// A change sends only what changed: the farm's history records each change.
import '../words.ts';
import {
  CROP_LABELS,
  CROPS,
  type Crop,
  type GrowthStage,
  MAX_HEAD_COUNT,
  MAX_PLOT_AREA_MU,
  PLOT_KIND_LABELS,
  PLOT_KINDS,
  type PlotKind,
  SPECIES,
  SPECIES_LABELS,
  type Species,
} from '@cunzhi/contracts/agri';
import type { Flock, FlockPatch, Plot, PlotPatch } from '@cunzhi/contracts/agri-farms';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button.tsx';
import { Notice } from '../../../components/Light.tsx';
import { fieldErrorOf } from '../../../lib/field-errors.ts';
import { farmApi } from '../api/farm.ts';
import { areaProblem, countProblem, type Problem, pastDateProblem, textProblem, todayInChina } from '../farm-input.ts';
import { labelOf, stageName, stagesFor } from '../labels.ts';
import { Field } from './Field.tsx';

type Values = Record<string, string>;
type Problems = Record<string, Problem | undefined>;

/**
 * The form's state and its problems, typed and the server's: `say(field)` is the problem to write
 * under a box; `send(work)` runs the request once (a second tap while it runs does nothing) and
 * puts a refusal under the box it names, or at the top.
 */
function useSubjectForm(initial: Values) {
  const { t, i18n } = useTranslation();
  const [values, setValues] = useState(initial);
  const [problems, setProblems] = useState<Problems>({});
  const [serverField, setServerField] = useState<{ field: string; message: string }>();
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  const busy = useRef(false);
  const set = (name: string) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setProblems((p) => ({ ...p, [name]: undefined }));
    if (serverField?.field === name) setServerField(undefined);
  };
  const say = (field: string) => {
    if (serverField?.field === field) return serverField.message;
    const problem = problems[field];
    return problem ? t(problem.key, problem.values) : undefined;
  };
  /** Checks the boxes; answers whether all are right. */
  const check = (found: Problems) => {
    setProblems(found);
    return !Object.values(found).some(Boolean);
  };
  const send = async (work: () => Promise<unknown>, onDone: () => void) => {
    if (busy.current) return;
    busy.current = true;
    setSending(true);
    setError(undefined);
    try {
      await work();
      onDone();
    } catch (failure) {
      const onField = fieldErrorOf(failure, i18n.language);
      if (onField && onField.field in values) setServerField(onField);
      else setError((failure as Error).message);
    } finally {
      busy.current = false;
      setSending(false);
    }
  };
  return { values, set, say, check, send, error, sending, initial };
}

/** The fields whose text differs from what was loaded, as the patch sends them. */
function changed(values: Values, initial: Values, read: (name: string, text: string) => unknown): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(values)) if (text !== initial[name]) patch[name] = read(name, text);
  return patch;
}

function FormFooter({ sending, onCancel }: { sending: boolean; onCancel(): void }) {
  const { t } = useTranslation();
  return (
    <div className="agri-actions">
      <Button type="primary" size="large" htmlType="submit" loading={sending} disabled={sending}>
        {t('common.save')}
      </Button>
      <Button size="large" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
    </div>
  );
}

function StageSelect({ kind, value, onChange }: { kind: 'crop' | 'animal'; value: string; onChange(v: string): void }) {
  const { t, i18n } = useTranslation();
  return (
    <select className="text-input" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('agri.farm.noStage')}</option>
      {stagesFor(kind).map((stage) => (
        <option key={stage} value={stage}>
          {stageName(stage, i18n.language)}
        </option>
      ))}
    </select>
  );
}

type FormProps<T> = { householdId: string; editing?: T; onDone(saved: string): void; onCancel(): void };

export function PlotForm({ householdId, editing, onDone, onCancel }: FormProps<Plot>) {
  const { t, i18n } = useTranslation();
  const form = useSubjectForm({
    name: editing?.name ?? '',
    crop: editing?.crop ?? '',
    kind: editing?.kind ?? '',
    variety: editing?.variety ?? '',
    areaMu: editing ? String(editing.areaMu) : '',
    plantedOn: editing?.plantedOn ?? '',
    growthStage: editing?.growthStage ?? '',
  });
  const { values, set, say } = form;
  const today = todayInChina();
  const submit = () => {
    const ok = form.check({
      name: textProblem(values.name ?? '', 60),
      crop: values.crop ? undefined : { key: 'agri.problems.choose' },
      areaMu: areaProblem(values.areaMu ?? '', MAX_PLOT_AREA_MU),
      plantedOn: pastDateProblem(values.plantedOn ?? '', today, true),
      variety: textProblem(values.variety ?? '', 60, true),
    });
    if (!ok) return;
    const crop = values.crop as Crop;
    const kind = (values.kind || CROP_LABELS[crop].kind) as PlotKind;
    const read = (name: string, text: string) =>
      name === 'areaMu' ? Number(text) : name === 'plantedOn' || name === 'growthStage' ? text || null : text.trim();
    void form.send(
      async () => {
        if (editing) {
          const patch = changed({ ...values, kind }, form.initial, read);
          if (Object.keys(patch).length > 0) await farmApi.changePlot(editing.id, patch as PlotPatch);
          return;
        }
        await farmApi.addPlot(householdId, {
          name: values.name?.trim() ?? '',
          crop,
          kind,
          areaMu: Number(values.areaMu),
          ...(values.variety?.trim() ? { variety: values.variety.trim() } : {}),
          ...(values.plantedOn ? { plantedOn: values.plantedOn } : {}),
          ...(values.growthStage ? { growthStage: values.growthStage as GrowthStage } : {}),
        });
      },
      () => onDone(values.name?.trim() ?? ''),
    );
  };
  return (
    <form
      noValidate
      data-testid="plot-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {form.error && <Notice type="error">{form.error}</Notice>}
      <Field label={t('agri.farm.plotName')} hint={t('agri.farm.plotNameHint')} problem={say('name')}>
        <input className="text-input" name="name" maxLength={60} value={values.name} onChange={(e) => set('name')(e.target.value)} />
      </Field>
      <Field label={t('agri.farm.crop')} problem={say('crop')}>
        <select className="text-input" name="crop" value={values.crop} onChange={(e) => set('crop')(e.target.value)}>
          <option value="">{t('agri.farm.chooseCrop')}</option>
          {CROPS.map((crop) => (
            <option key={crop} value={crop}>
              {labelOf(CROP_LABELS, crop, i18n.language)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('agri.farm.plotKind')} problem={say('kind')}>
        <select className="text-input" name="kind" value={values.kind} onChange={(e) => set('kind')(e.target.value)}>
          <option value="">{t('agri.farm.kindFromCrop')}</option>
          {PLOT_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {labelOf(PLOT_KIND_LABELS, kind, i18n.language)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('agri.farm.variety')} problem={say('variety')}>
        <input
          className="text-input"
          name="variety"
          maxLength={60}
          value={values.variety}
          onChange={(e) => set('variety')(e.target.value)}
        />
      </Field>
      <Field label={t('agri.farm.area')} hint={t('agri.farm.areaHint', { max: MAX_PLOT_AREA_MU })} problem={say('areaMu')}>
        <input
          className="text-input"
          name="areaMu"
          inputMode="decimal"
          value={values.areaMu}
          onChange={(e) => set('areaMu')(e.target.value)}
        />
      </Field>
      <Field label={t('agri.farm.plantedOn')} problem={say('plantedOn')}>
        <input
          className="text-input"
          name="plantedOn"
          type="date"
          max={today}
          value={values.plantedOn}
          onChange={(e) => set('plantedOn')(e.target.value)}
        />
      </Field>
      <Field label={t('agri.farm.stage')} problem={say('growthStage')}>
        <StageSelect kind="crop" value={values.growthStage ?? ''} onChange={set('growthStage')} />
      </Field>
      <FormFooter sending={form.sending} onCancel={onCancel} />
    </form>
  );
}

export function FlockForm({ householdId, editing, onDone, onCancel }: FormProps<Flock>) {
  const { t, i18n } = useTranslation();
  const form = useSubjectForm({
    name: editing?.name ?? '',
    species: editing?.species ?? '',
    breed: editing?.breed ?? '',
    headCount: editing ? String(editing.headCount) : '',
    startedOn: editing?.startedOn ?? '',
    growthStage: editing?.growthStage ?? '',
  });
  const { values, set, say } = form;
  const today = todayInChina();
  const submit = () => {
    const ok = form.check({
      name: textProblem(values.name ?? '', 60),
      species: values.species ? undefined : { key: 'agri.problems.choose' },
      headCount: countProblem(values.headCount ?? '', 1, MAX_HEAD_COUNT),
      startedOn: pastDateProblem(values.startedOn ?? '', today, true),
      breed: textProblem(values.breed ?? '', 60, true),
    });
    if (!ok) return;
    const read = (name: string, text: string) =>
      name === 'headCount' ? Number(text) : name === 'startedOn' || name === 'growthStage' ? text || null : text.trim();
    void form.send(
      async () => {
        if (editing) {
          const patch = changed(values, form.initial, read);
          if (Object.keys(patch).length > 0) await farmApi.changeFlock(editing.id, patch as FlockPatch);
          return;
        }
        await farmApi.addFlock(householdId, {
          name: values.name?.trim() ?? '',
          species: values.species as Species,
          headCount: Number(values.headCount),
          ...(values.breed?.trim() ? { breed: values.breed.trim() } : {}),
          ...(values.startedOn ? { startedOn: values.startedOn } : {}),
          ...(values.growthStage ? { growthStage: values.growthStage as GrowthStage } : {}),
        });
      },
      () => onDone(values.name?.trim() ?? ''),
    );
  };
  return (
    <form
      noValidate
      data-testid="flock-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {form.error && <Notice type="error">{form.error}</Notice>}
      <Field label={t('agri.farm.flockName')} hint={t('agri.farm.flockNameHint')} problem={say('name')}>
        <input className="text-input" name="name" maxLength={60} value={values.name} onChange={(e) => set('name')(e.target.value)} />
      </Field>
      <Field label={t('agri.farm.species')} problem={say('species')}>
        <select className="text-input" name="species" value={values.species} onChange={(e) => set('species')(e.target.value)}>
          <option value="">{t('agri.farm.chooseSpecies')}</option>
          {SPECIES.map((species) => (
            <option key={species} value={species}>
              {labelOf(SPECIES_LABELS, species, i18n.language)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('agri.farm.breed')} problem={say('breed')}>
        <input className="text-input" name="breed" maxLength={60} value={values.breed} onChange={(e) => set('breed')(e.target.value)} />
      </Field>
      <Field label={t('agri.farm.headCount')} hint={t('agri.farm.headCountHint', { max: MAX_HEAD_COUNT })} problem={say('headCount')}>
        <input
          className="text-input"
          name="headCount"
          inputMode="numeric"
          value={values.headCount}
          onChange={(e) => set('headCount')(e.target.value)}
        />
      </Field>
      <Field label={t('agri.farm.startedOn')} hint={t('agri.farm.startedOnHint')} problem={say('startedOn')}>
        <input
          className="text-input"
          name="startedOn"
          type="date"
          max={today}
          value={values.startedOn}
          onChange={(e) => set('startedOn')(e.target.value)}
        />
      </Field>
      <Field label={t('agri.farm.stage')} problem={say('growthStage')}>
        <StageSelect kind="animal" value={values.growthStage ?? ''} onChange={set('growthStage')} />
      </Field>
      <FormFooter sending={form.sending} onCancel={onCancel} />
    </form>
  );
}
