// A monitored household's file on the desk: its economics, the procedure step by step (who, when,
// evidence) with the step my office may take now, objections to the notice, the help plan and
// the follow-up visits.
import '../words.ts';
import {
  FLAG_REASON_LABELS,
  MEASURE_KIND_LABELS,
  MEASURE_KINDS,
  type MeasureKind,
  MONITORED_STATUS_LABELS,
  POVERTY_CATEGORIES,
  POVERTY_CATEGORY_LABELS,
  type PovertyCategory,
  PROCEDURE_STEP_LABELS,
  type ProcedureStep,
} from '@cunzhi/contracts/poverty';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Descriptions, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Notice } from '../../../components/Light.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import {
  addMeasure,
  evidenceHref,
  type MonitoredFile,
  POVERTY_KEY,
  resolveObjection,
  startRemoval,
  takeStep,
  uploadEvidence,
  useMonitoredFile,
} from '../api/poverty.ts';
import { EconomicsPanel } from './EconomicsPanel.tsx';
import { STATUS_COLOURS, useLabel } from './poverty-labels.ts';

const DECIDING: string[] = ['villageReview', 'townshipReview', 'countyApproval'];

function StepForm({ file, step, onDone }: { file: MonitoredFile; step: ProcedureStep; onDone(): void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const id = file.monitored.id;
  const [note, setNote] = useState('');
  const [noticeText, setNoticeText] = useState('');
  const [category, setCategory] = useState<PovertyCategory | undefined>((file.monitored.category as PovertyCategory) ?? undefined);
  const [evidenceIds, setEvidenceIds] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const upload = async (files: FileList | null) => {
    setError(undefined);
    try {
      for (const f of Array.from(files ?? [])) {
        const evidence = await uploadEvidence(id, f);
        setEvidenceIds((ids) => [...ids, evidence.id]);
      }
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const act = async (decision: 'approve' | 'reject') => {
    setError(undefined);
    try {
      await takeStep(id, {
        step,
        decision,
        version: file.monitored.version,
        ...(note.trim() && { note: note.trim() }),
        ...(evidenceIds.length > 0 && { evidenceIds }),
        ...(step === 'dataComparison' && category && { category }),
        ...(step === 'publicNotice' && noticeText.trim() && { noticeText: noticeText.trim() }),
      });
      onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="poverty-step-form" data-testid="step-form">
      <h3>{label(PROCEDURE_STEP_LABELS, step)}</h3>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <label>
          {t('poverty.file.upload')}{' '}
          <input
            type="file"
            accept="image/*,application/pdf"
            multiple
            data-testid="evidence-input"
            onChange={(e) => void upload(e.target.files)}
          />
        </label>
        {evidenceIds.length > 0 && <Notice type="info">{t('poverty.file.uploaded')}</Notice>}
        {step === 'dataComparison' && (
          <Select
            style={{ width: 220 }}
            value={category}
            placeholder={t('poverty.file.category')}
            options={POVERTY_CATEGORIES.map((c) => ({ value: c, label: label(POVERTY_CATEGORY_LABELS, c) }))}
            onChange={setCategory}
          />
        )}
        {step === 'publicNotice' && (
          <Input
            maxLength={100}
            placeholder={t('poverty.file.noticeText')}
            value={noticeText}
            onChange={(e) => setNoticeText(e.target.value)}
          />
        )}
        <Input.TextArea
          maxLength={500}
          rows={2}
          placeholder={t('poverty.file.note')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <Space>
          <Button type="primary" onClick={() => void act('approve')} data-testid="step-approve">
            {t('poverty.file.approve')}
          </Button>
          {DECIDING.includes(step) && (
            <Button danger onClick={() => void act('reject')}>
              {t('poverty.file.reject')}
            </Button>
          )}
        </Space>
        {error && <Notice type="error">{error}</Notice>}
      </Space>
    </div>
  );
}

function MeasureForm({ id, onDone }: { id: string; onDone(): void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const [kind, setKind] = useState<MeasureKind>('employment');
  const [description, setDescription] = useState('');
  const [responsible, setResponsible] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [error, setError] = useState<string>();
  const add = async () => {
    try {
      await addMeasure(id, { kind, description: description.trim(), responsible: responsible.trim(), dueDate });
      setDescription('');
      onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Space wrap>
      <Select
        style={{ width: 130 }}
        value={kind}
        onChange={setKind}
        options={MEASURE_KINDS.map((k) => ({ value: k, label: label(MEASURE_KIND_LABELS, k) }))}
      />
      <Input
        style={{ width: 240 }}
        maxLength={300}
        placeholder={t('poverty.file.description')}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <Input
        style={{ width: 120 }}
        maxLength={40}
        placeholder={t('poverty.file.responsible')}
        value={responsible}
        onChange={(e) => setResponsible(e.target.value)}
      />
      <input type="date" aria-label={t('poverty.file.dueDate')} value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
      <Button disabled={!description.trim() || !responsible.trim() || !dueDate} onClick={() => void add()}>
        {t('poverty.file.addMeasure')}
      </Button>
      {error && <Notice type="error">{error}</Notice>}
    </Space>
  );
}

export default function PovertyFilePage() {
  const { t } = useTranslation();
  const label = useLabel();
  const { id } = useParams();
  const client = useQueryClient();
  const file = useMonitoredFile(id);
  const [error, setError] = useState<string>();
  const refresh = () => void client.invalidateQueries({ queryKey: [POVERTY_KEY] });
  if (file.error) return <Notice type="error">{(file.error as Error).message}</Notice>;
  if (!file.data) return null;
  const { monitored, steps, measures, visits, objections, mayTake } = file.data;
  const removal = async () => {
    try {
      await startRemoval(monitored.id, monitored.version);
      refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const answer = async (objectionId: string, upheld: boolean) => {
    try {
      await resolveObjection(monitored.id, objectionId, upheld, upheld ? t('poverty.file.upheld') : t('poverty.file.notUpheld'));
      refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <main className="desk-page" data-testid="poverty-file">
      <h1>
        {t('poverty.file.title')} · {monitored.headName}
      </h1>
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label={t('poverty.desk.number')}>{monitored.householdNumber}</Descriptions.Item>
        <Descriptions.Item label={t('poverty.desk.status')}>
          <Tag color={STATUS_COLOURS[monitored.status]} data-testid="file-status">
            {label(MONITORED_STATUS_LABELS, monitored.status)}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('poverty.desk.category')}>{label(POVERTY_CATEGORY_LABELS, monitored.category)}</Descriptions.Item>
        <Descriptions.Item label={t('poverty.desk.nextStep')}>
          <span data-testid="file-next-step">{label(PROCEDURE_STEP_LABELS, monitored.nextStep)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('poverty.file.noticeEnds')}>
          {monitored.noticeEndsAt ? formatTime(monitored.noticeEndsAt) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('poverty.file.nextVisit')}>
          {monitored.nextVisitDueAt ? formatTime(monitored.nextVisitDueAt) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('poverty.file.reasons')} span={3}>
          {monitored.reasons.map((r) => (
            <Tag key={r}>{label(FLAG_REASON_LABELS, r)}</Tag>
          ))}
        </Descriptions.Item>
      </Descriptions>
      {error && <Notice type="error">{error}</Notice>}

      <EconomicsPanel householdId={monitored.householdId} />

      <section>
        <h2>{t('poverty.file.steps')}</h2>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={steps}
          columns={[
            { title: t('poverty.file.recordedAt'), render: (_, s) => formatTime(s.at) },
            { title: t('poverty.desk.step'), render: (_, s) => label(PROCEDURE_STEP_LABELS, s.step) },
            { title: t('poverty.file.approve'), render: (_, s) => (s.decision === 'reject' ? t('poverty.file.reject') : '✓') },
            { title: '', render: (_, s) => `${s.actorName ?? ''} ${s.note ?? ''}` },
            {
              title: t('poverty.file.evidence'),
              render: (_, s) =>
                s.evidenceIds.map((e, i) => (
                  <a key={e} href={evidenceHref(monitored.id, e)} target="_blank" rel="noreferrer">
                    {t('poverty.file.evidence')}
                    {i + 1}{' '}
                  </a>
                )),
            },
          ]}
        />
        {mayTake.map((step) => (
          <StepForm key={`${step}-${monitored.version}`} file={file.data} step={step as ProcedureStep} onDone={refresh} />
        ))}
        {monitored.status === 'monitored' && (
          <Button style={{ marginTop: 8 }} onClick={() => void removal()} data-testid="start-removal">
            {t('poverty.file.startRemoval')}
          </Button>
        )}
      </section>

      {objections.length > 0 && (
        <section>
          <h2>{t('poverty.file.objections')}</h2>
          {objections.map((o) => (
            <p key={o.id}>
              {formatTime(o.at)} {o.text}{' '}
              {o.resolved ? (
                <Tag>{o.upheld ? t('poverty.file.upheld') : t('poverty.file.notUpheld')}</Tag>
              ) : (
                <Space>
                  <Button size="small" onClick={() => void answer(o.id, false)}>
                    {t('poverty.file.notUpheld')}
                  </Button>
                  <Button size="small" danger onClick={() => void answer(o.id, true)}>
                    {t('poverty.file.upheld')}
                  </Button>
                </Space>
              )}
            </p>
          ))}
        </section>
      )}

      <section>
        <h2>{t('poverty.file.measures')}</h2>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={measures}
          columns={[
            { title: t('poverty.file.measureKind'), render: (_, m) => label(MEASURE_KIND_LABELS, m.kind) },
            { title: t('poverty.file.description'), dataIndex: 'description' },
            { title: t('poverty.file.responsible'), dataIndex: 'responsible' },
            { title: t('poverty.file.dueDate'), dataIndex: 'dueDate' },
            {
              title: '',
              render: (_, m) => (m.done ? <Tag color="green">{t('poverty.file.done')}</Tag> : <Tag>{t('poverty.file.planned')}</Tag>),
            },
          ]}
        />
        {['identifying', 'monitored', 'removing'].includes(monitored.status) && <MeasureForm id={monitored.id} onDone={refresh} />}
      </section>

      <section>
        <h2>{t('poverty.file.visits')}</h2>
        {visits.map((v) => (
          <p key={v.id}>
            {formatTime(v.at)} {v.visitorName}：{v.note}
          </p>
        ))}
      </section>
    </main>
  );
}
