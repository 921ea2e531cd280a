// A household's economics on the desk: the newest figures against the line, the history, and the
// form a cadre or grid worker fills in after a visit (every open of this panel is audited).
import '../words.ts';
import {
  ASSURANCE_LABELS,
  ASSURANCES,
  type Assurance,
  EXPENSE_KIND_LABELS,
  EXPENSE_KINDS,
  type ExpenseKind,
  FLAG_REASON_LABELS,
  INCOME_SOURCE_LABELS,
  INCOME_SOURCES,
  type IncomeSource,
} from '@cunzhi/contracts/poverty';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Descriptions, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../../components/Light.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { POVERTY_KEY, recordEconomics, useEconomics } from '../api/poverty.ts';
import { useLabel } from './poverty-labels.ts';

type Expense = { key: string; kind: ExpenseKind; amount: number };

function EconomicsForm({ householdId, onSaved }: { householdId: string; onSaved(): void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const [year, setYear] = useState(new Date().getFullYear());
  const [members, setMembers] = useState(3);
  const [labour, setLabour] = useState(1);
  const [formerlyPoor, setFormerlyPoor] = useState(false);
  const [income, setIncome] = useState<Partial<Record<IncomeSource, number>>>({});
  const [incomeLast12, setIncomeLast12] = useState(0);
  const [expenses, setExpenses] = useState<Expense[]>([]);
  const [assurances, setAssurances] = useState<Record<Assurance, boolean>>(
    Object.fromEntries(ASSURANCES.map((a) => [a, true])) as Record<Assurance, boolean>,
  );
  const [seriousIllness, setSeriousIllness] = useState(false);
  const [disaster, setDisaster] = useState(false);
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string }>();
  const save = async () => {
    try {
      const result = await recordEconomics(householdId, {
        year,
        members,
        labour,
        formerlyPoor,
        income,
        incomeLast12,
        expenses: expenses.map(({ kind, amount }) => ({ kind, amount })),
        assurances,
        seriousIllness,
        disaster,
      });
      const reasons = result.reasons.map((r) => label(FLAG_REASON_LABELS, r)).join('、');
      setMessage({ type: 'success', text: reasons ? `${t('poverty.file.saved')}：${reasons}` : t('poverty.file.saved') });
      onSaved();
    } catch (error) {
      setMessage({ type: 'error', text: (error as Error).message });
    }
  };
  return (
    <div data-testid="economics-form">
      <Space wrap>
        <span>
          {t('poverty.file.year')} <InputNumber controls={false} min={2000} max={2100} value={year} onChange={(v) => setYear(v ?? year)} />
        </span>
        <span>
          {t('poverty.file.members')} <InputNumber controls={false} min={1} max={30} value={members} onChange={(v) => setMembers(v ?? 1)} />
        </span>
        <span>
          {t('poverty.file.labour')} <InputNumber controls={false} min={0} max={30} value={labour} onChange={(v) => setLabour(v ?? 0)} />
        </span>
        <Checkbox checked={formerlyPoor} onChange={(e) => setFormerlyPoor(e.target.checked)}>
          {t('poverty.file.formerlyPoor')}
        </Checkbox>
      </Space>
      <Space wrap style={{ marginTop: 8 }}>
        {INCOME_SOURCES.map((source) => (
          <span key={source}>
            {label(INCOME_SOURCE_LABELS, source)}{' '}
            <InputNumber
              controls={false}
              min={0}
              value={income[source]}
              data-testid={`income-${source}`}
              onChange={(v) => setIncome({ ...income, [source]: v ?? undefined })}
            />
          </span>
        ))}
        <span>
          {t('poverty.file.incomeLast12')}{' '}
          <InputNumber
            controls={false}
            min={0}
            value={incomeLast12}
            data-testid="income-last12"
            onChange={(v) => setIncomeLast12(v ?? 0)}
          />
        </span>
      </Space>
      <div style={{ marginTop: 8 }}>
        {t('poverty.file.expenses')}：
        {expenses.map((e, i) => (
          <Space key={e.key} style={{ marginRight: 8 }}>
            <Select
              style={{ width: 100 }}
              value={e.kind}
              options={EXPENSE_KINDS.map((k) => ({ value: k, label: label(EXPENSE_KIND_LABELS, k) }))}
              onChange={(kind) => setExpenses(expenses.map((x, j) => (j === i ? { ...x, kind } : x)))}
            />
            <InputNumber
              controls={false}
              min={0}
              value={e.amount}
              aria-label={t('poverty.file.expenseAmount')}
              onChange={(v) => setExpenses(expenses.map((x, j) => (j === i ? { ...x, amount: v ?? 0 } : x)))}
            />
          </Space>
        ))}
        <Button size="small" onClick={() => setExpenses([...expenses, { key: newId(), kind: 'illness', amount: 0 }])}>
          {t('poverty.file.addExpense')}
        </Button>
      </div>
      <div style={{ marginTop: 8 }}>
        {t('poverty.file.assurances')}：
        {ASSURANCES.map((a) => (
          <Checkbox key={a} checked={assurances[a]} onChange={(e) => setAssurances({ ...assurances, [a]: e.target.checked })}>
            {label(ASSURANCE_LABELS, a)}
          </Checkbox>
        ))}
      </div>
      <Space style={{ marginTop: 8 }}>
        <Checkbox checked={seriousIllness} onChange={(e) => setSeriousIllness(e.target.checked)}>
          {t('poverty.file.seriousIllness')}
        </Checkbox>
        <Checkbox checked={disaster} onChange={(e) => setDisaster(e.target.checked)} data-testid="disaster">
          {t('poverty.file.disaster')}
        </Checkbox>
        <Button type="primary" onClick={() => void save()} data-testid="save-economics">
          {t('poverty.file.save')}
        </Button>
      </Space>
      {message && <Notice type={message.type}>{message.text}</Notice>}
    </div>
  );
}

export function EconomicsPanel({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const client = useQueryClient();
  const economics = useEconomics(householdId);
  const [editing, setEditing] = useState(false);
  const newest = economics.data?.records[0];
  return (
    <section>
      <h2>{t('poverty.file.economics')}</h2>
      {economics.error && <Notice type="error">{(economics.error as Error).message}</Notice>}
      {newest ? (
        <Descriptions size="small" column={3} bordered>
          <Descriptions.Item label={t('poverty.file.year')}>{newest.year}</Descriptions.Item>
          <Descriptions.Item label={t('poverty.file.members')}>{newest.members}</Descriptions.Item>
          <Descriptions.Item label={t('poverty.file.labour')}>{newest.labour}</Descriptions.Item>
          <Descriptions.Item label={t('poverty.file.perCapitaYear')}>{newest.perCapitaYear}</Descriptions.Item>
          <Descriptions.Item label={t('poverty.file.perCapitaLast12')}>
            <span data-testid="per-capita-last12">{newest.perCapitaLast12}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('poverty.file.incomeLine')}>{economics.data?.incomeLine}</Descriptions.Item>
          <Descriptions.Item label={t('poverty.file.reasons')} span={3}>
            {(economics.data?.reasons ?? []).map((r) => (
              <Tag key={r} color="red">
                {label(FLAG_REASON_LABELS, r)}
              </Tag>
            ))}
          </Descriptions.Item>
        </Descriptions>
      ) : (
        !economics.isPending && <p>{t('poverty.file.noEconomics')}</p>
      )}
      {(economics.data?.records.length ?? 0) > 1 && (
        <Table
          size="small"
          rowKey="id"
          style={{ marginTop: 8 }}
          pagination={false}
          dataSource={economics.data?.records ?? []}
          columns={[
            { title: t('poverty.file.recordedAt'), render: (_, r) => formatTime(r.recordedAt) },
            { title: t('poverty.file.year'), dataIndex: 'year' },
            { title: t('poverty.file.members'), dataIndex: 'members' },
            { title: t('poverty.file.perCapitaLast12'), dataIndex: 'perCapitaLast12' },
          ]}
        />
      )}
      <Button style={{ marginTop: 8 }} onClick={() => setEditing(!editing)} data-testid="record-economics">
        {t('poverty.file.record')}
      </Button>
      {editing && <EconomicsForm householdId={householdId} onSaved={() => void client.invalidateQueries({ queryKey: [POVERTY_KEY] })} />}
    </section>
  );
}
