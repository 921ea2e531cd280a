// The audit log for the audit administrator: who did what to which record, in words of the reader's
// language (roles, actions and kinds of record), with the raw code kept in a tooltip for searching.
import { DownloadOutlined } from '@ant-design/icons';
import { auditActionWords, auditRoleWords, auditTargetWords } from '@cunzhi/contracts/audit-words';
import { Alert, Button, Card, DatePicker, Flex, Input, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AuditFilter, useAuditEntries } from '../api/audit-entries.ts';
import { useAuditExport } from '../api/export-audit.ts';
import { exportPeriod } from '../api/export-period.ts';

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'zh';
  const [draft, setDraft] = useState<AuditFilter>({});
  const [filter, setFilter] = useState<AuditFilter>({});
  const entries = useAuditEntries(filter);
  const items = entries.data?.pages.flatMap((p) => p.items) ?? [];
  const auditExport = useAuditExport();
  return (
    <Card title={t('nav.audit')}>
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        <Input
          placeholder={t('audit.actionPlaceholder')}
          onChange={(e) => setDraft({ ...draft, action: e.target.value || undefined })}
          style={{ flex: '1 1 180px' }}
        />
        <Input
          placeholder={t('audit.targetPlaceholder')}
          onChange={(e) => setDraft({ ...draft, targetId: e.target.value || undefined })}
          style={{ flex: '1 1 180px' }}
        />
        <DatePicker.RangePicker
          showTime
          // A finger's width, as every other control of the page.
          style={{ minHeight: 48 }}
          onChange={(range) => {
            const [from, to] = (range ?? []) as (Dayjs | null)[];
            setDraft({ ...draft, from: from?.toISOString(), to: to?.toISOString() });
          }}
        />
        <Button type="primary" onClick={() => setFilter(draft)}>
          {t('common.search')}
        </Button>
        {/* The period the picker shows, searched or not; none chosen means the last 30 days. */}
        <Button
          icon={<DownloadOutlined />}
          title={draft.from || draft.to ? undefined : t('audit.exportDefaultPeriod')}
          loading={auditExport.isPending}
          onClick={() => auditExport.mutate(exportPeriod(draft, Date.now()))}
        >
          {t('audit.export')}
        </Button>
      </Flex>
      {auditExport.error && <Alert type="error" showIcon message={auditExport.error.message} style={{ marginBottom: 16 }} />}
      <Table
        rowKey="id"
        size="small"
        loading={entries.isLoading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 200, render: (at: string) => at.replace('T', ' ').slice(0, 19) },
          {
            title: t('audit.actor'),
            dataIndex: 'actorName',
            render: (name: string | null, e) => name ?? e.actorUserId ?? auditRoleWords('system', language),
          },
          { title: t('audit.role'), dataIndex: 'actorRole', render: (roles: string | null) => auditRoleWords(roles, language) },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (code: string) => <span title={code}>{auditActionWords(code, language)}</span>,
          },
          {
            title: t('audit.outcome'),
            dataIndex: 'outcome',
            render: (o: string) => <Tag color={o === 'ok' ? 'green' : 'red'}>{t(`audit.${o}`)}</Tag>,
          },
          {
            title: t('audit.target'),
            dataIndex: 'targetId',
            render: (id: string | null, e) =>
              e.targetType || id ? (
                <span title={id ?? undefined}>
                  {e.targetType ? auditTargetWords(e.targetType, language) : ''}
                  {id ? ` ${id.slice(-8)}` : ''}
                </span>
              ) : (
                ''
              ),
          },
          { title: t('audit.ip'), dataIndex: 'ip' },
        ]}
      />
      {entries.hasNextPage && (
        <Button block onClick={() => entries.fetchNextPage()} loading={entries.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Card>
  );
}
