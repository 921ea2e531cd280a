// The cadre's notices: write one for the village (or households with a trait), send it now or at a
// time, and see per household who has read it. Cadres open it on their phones too: below 768 px
// every control is a finger's size (48×48, 60×60 in elder mode: styles.css .notices-desk) and the
// published notices are cards (NoticeCards.tsx) instead of a table wider than the phone.
import '../words.ts';
import { NOTICE_TRAITS } from '@cunzhi/contracts/notices';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, ConfigProvider, DatePicker, Input, Select, Space, Switch, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FilePicker } from '../../../components/FilePicker.tsx';
import { Chip, Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { useElderMode } from '../../../lib/elder-mode.ts';
import { formatTime } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { usePeople } from '../../../lib/people.ts';
import { useMediaQuery } from '../../../lib/use-media-query.ts';
import { NOTICES_KEY, publishNotice, useAudienceSize, useNotices } from '../api/notices.ts';
import { shownState } from '../notice-state.ts';
import { NoticeCards, useAuthorArea } from './NoticeCards.tsx';
import { NoticeReceipts } from './NoticeReceipts.tsx';

/**
 * The 紧急 switch a finger's size itself (antd's is 24 px tall): 48 px, 60 px in elder mode. Its
 * words beside it are part of its label too, but the switch is what the eye goes to.
 */
const switchTheme = (elder: boolean) => {
  const height = elder ? 60 : 48;
  return { components: { Switch: { trackHeight: height, trackMinWidth: height * 2, handleSize: height - 8, trackPadding: 4 } } };
};

function Compose() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [traits, setTraits] = useState<(typeof NOTICE_TRAITS)[number][]>([]);
  const [gridIds, setGridIds] = useState<string[]>([]);
  const [regionIds, setRegionIds] = useState<string[]>([]);
  const [people, setPeople] = useState<{ value: string; label: string }[]>([]);
  const [personName, setPersonName] = useState('');
  // The audience can be narrowed to places under the author's own (a village's groups, a
  // township's villages) and, for a village cadre, to some of the village's grids; named people
  // are found by name within the author's scope.
  const { grids, places } = useAuthorArea();
  const [elder] = useElderMode();
  const found = usePeople({ name: personName.trim() }, personName.trim().length > 0);
  const [when, setWhen] = useState<Dayjs | null>(null);
  const [expires, setExpires] = useState<Dayjs | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string }>();
  const audience = { traits, gridIds, regionIds, personIds: people.map((p) => p.value) };
  const size = useAudienceSize(audience);
  // A notice that would reach nobody is not sent (the server refuses it too): the desk says so first.
  const nobody = size.data?.people === 0;
  // One form, one notice: a second tap while it is being sent does nothing, and a retry of the same
  // form sends the same key (the server answers it with the notice the first made).
  const [sending, setSending] = useState(false);
  const busy = useRef(false);
  const formKey = useRef(newId());
  // Changed after a failed send, the form is another notice: it gets a key of its own.
  const content = JSON.stringify([title, body, urgent, audience, expires?.valueOf()]);
  useEffect(() => {
    if (content) formKey.current = newId();
  }, [content]);
  const submit = async () => {
    if (busy.current) return;
    busy.current = true;
    setSending(true);
    try {
      await publishNotice(
        formKey.current,
        {
          title,
          body,
          urgent,
          audience,
          ...(expires && { expiresAt: expires.toISOString() }),
        },
        files,
        when ? { action: 'schedule', scheduledAt: when.toISOString() } : { action: 'send' },
      );
      setTitle('');
      setBody('');
      setFiles([]);
      setPeople([]);
      setMessage({ type: 'success', text: when ? t('notices.scheduled') : t('notices.sent') });
      await client.invalidateQueries({ queryKey: [NOTICES_KEY] });
    } catch (e) {
      setMessage({ type: 'error', text: (e as Error).message });
    } finally {
      busy.current = false;
      setSending(false);
    }
  };
  return (
    <Panel title={t('notices.compose')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input
          placeholder={t('notices.title')}
          aria-label={t('notices.title')}
          value={title}
          maxLength={100}
          onChange={(e) => setTitle(e.target.value)}
        />
        <Input.TextArea
          placeholder={t('notices.body')}
          aria-label={t('notices.body')}
          rows={4}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
        {(places.data ?? []).length > 0 && (
          <Select
            mode="multiple"
            allowClear
            style={{ width: '100%' }}
            aria-label={t('notices.places')}
            placeholder={t('notices.places')}
            value={regionIds}
            onChange={setRegionIds}
            options={(places.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
          />
        )}
        <Select
          mode="multiple"
          labelInValue
          showSearch
          filterOption={false}
          style={{ width: '100%' }}
          aria-label={t('notices.people')}
          placeholder={t('notices.people')}
          value={people}
          onSearch={setPersonName}
          onChange={(chosen) => setPeople(chosen as { value: string; label: string }[])}
          notFoundContent={personName.trim() ? t('common.noData') : null}
          options={(found.data?.pages.flatMap((page) => page.items) ?? []).map((p) => ({
            value: p.id,
            label: `${p.name}（${p.regionName}）`,
          }))}
        />
        {(grids.data ?? []).length > 0 && (
          <Checkbox.Group
            value={gridIds}
            onChange={(v) => setGridIds(v as string[])}
            options={(grids.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
          />
        )}
        <Checkbox.Group
          value={traits}
          onChange={(v) => setTraits(v as typeof traits)}
          options={NOTICE_TRAITS.map((trait) => ({ value: trait, label: t(`notices.traits.${trait}`) }))}
        />
        {/* The whole line is the switch's label: a tap on its words turns it too. */}
        <label className="notices-urgent" htmlFor="notice-urgent">
          <ConfigProvider theme={switchTheme(elder)}>
            <Switch id="notice-urgent" checked={urgent} onChange={setUrgent} aria-label={t('notices.urgent')} />
          </ConfigProvider>
          <span>{t('notices.urgentHint')}</span>
        </label>
        <FilePicker
          label={t('notices.attachments')}
          caption={t('notices.attachments')}
          kind="file"
          multiple
          accept="image/*,application/pdf"
          chosen={files.map((f) => f.name)}
          onChoose={setFiles}
        />
        <Space wrap>
          <DatePicker showTime value={expires} onChange={setExpires} placeholder={t('notices.expiresAt')} />
          <DatePicker showTime value={when} onChange={setWhen} placeholder={t('notices.sendAt')} />
          <Button
            type="primary"
            loading={sending}
            disabled={!title.trim() || !body.trim() || nobody || !size.data}
            onClick={() => void submit()}
          >
            {when ? t('notices.schedule') : t('notices.sendNow')}
          </Button>
        </Space>
        <div data-testid="audience-size">
          {size.data === undefined ? (
            <span className="muted">{t('notices.audienceCounting')}</span>
          ) : nobody ? (
            <Notice type="warning">{t('notices.audienceNobody')}</Notice>
          ) : (
            <strong>{t('notices.audienceSize', { people: size.data.people, households: size.data.households })}</strong>
          )}
        </div>
        {message && <Notice type={message.type}>{message.text}</Notice>}
      </Space>
    </Panel>
  );
}

export default function NoticesDeskPage() {
  const { t } = useTranslation();
  // While a notice is on its way, the list is read again every two seconds until it says 已发送.
  const notices = useNotices((items) => (items.some((n) => shownState(n, Date.now()) === 'sending') ? 2_000 : false));
  // antd's md breakpoint, as the layout's: narrower, the list is cards a phone shows whole.
  const desk = useMediaQuery('(min-width: 768px)');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} className="notices-desk" data-testid="notices-desk">
      <Compose />
      <Panel title={t('notices.list')}>
        {desk ? (
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={notices.data?.items ?? []}
            scroll={{ x: 'max-content' }}
            expandable={{
              expandedRowRender: (row) => <NoticeReceipts id={row.id} />,
              rowExpandable: (row) => row.state === 'sent',
              // Words in a button of its own in place of antd's 17 px plus sign.
              expandIcon: ({ expanded, expandable, onExpand, record }) =>
                expandable ? (
                  <button type="button" className="notices-expand" aria-expanded={expanded} onClick={(e) => onExpand(record, e)}>
                    {expanded ? t('notices.hideReceipts') : t('notices.showReceipts')}
                  </button>
                ) : null,
            }}
            columns={[
              {
                title: t('notices.title'),
                dataIndex: 'title',
                render: (title: string, row) =>
                  row.urgent ? (
                    <span>
                      {title} <Chip colour="red">{t('notices.urgent')}</Chip>
                    </span>
                  ) : (
                    title
                  ),
              },
              {
                title: t('notices.state'),
                dataIndex: 'state',
                render: (_: string, row) => {
                  const state = shownState(row, Date.now());
                  return (
                    <span className="nowrap" data-testid="notice-state">
                      {t(`notices.states.${state}`)}
                    </span>
                  );
                },
              },
              {
                title: t('notices.when'),
                dataIndex: 'sentAt',
                render: (at: string | null, row) => <span className="nowrap">{formatTime(at ?? row.scheduledAt ?? row.createdAt)}</span>,
              },
              { title: t('notices.recipients'), dataIndex: 'recipients' },
            ]}
          />
        ) : (
          <NoticeCards notices={notices.data?.items ?? []} />
        )}
      </Panel>
    </Space>
  );
}
