// The exposure-board panel of a case, for moderators only (its own chunk: phones never load it).
import '../words.ts';
import type { BlurRegion, Case } from '@cunzhi/contracts/cases';
import { Alert, Button, Checkbox, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Static } from 'typebox';
import { Panel } from '../../../components/Panel.tsx';
import { useCasePhotos, useModerate, useModerationSuggestion } from '../api/cases.ts';
import { BlurEditor } from './BlurEditor.tsx';

type Region = Static<typeof BlurRegion>;

export default function ModerationPanel({ item }: { item: Case }) {
  const { t } = useTranslation();
  const suggestion = useModerationSuggestion(item.id, true);
  const photos = useCasePhotos(item.id);
  const moderate = useModerate(item.id);
  const [title, setTitle] = useState<string>();
  const [text, setText] = useState<string>();
  const [chosen, setChosen] = useState<Record<string, Region[]>>({});
  if (!suggestion.data) return null;
  const submit = (decision: 'publish' | 'reject') =>
    moderate.mutate({
      decision,
      publicTitle: title ?? suggestion.data.publicTitle,
      publicText: text ?? suggestion.data.publicText,
      photos: Object.entries(chosen).map(([photoId, blur]) => ({ photoId, blur })),
    });
  return (
    <Panel title={t('cases.moderation.title')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input
          aria-label={t('cases.moderation.publicTitle')}
          addonBefore={t('cases.moderation.publicTitle')}
          value={title ?? suggestion.data.publicTitle}
          onChange={(e) => setTitle(e.target.value)}
        />
        <Input.TextArea
          aria-label={t('cases.moderation.publicText')}
          rows={3}
          value={text ?? suggestion.data.publicText}
          onChange={(e) => setText(e.target.value)}
        />
        <span className="muted">{t('cases.moderation.blurHint')}</span>
        {photos.data?.items.map((p) => (
          <div key={p.id}>
            <Checkbox
              checked={p.id in chosen}
              onChange={(e) =>
                setChosen((current) => {
                  const next = { ...current };
                  if (e.target.checked) next[p.id] = [];
                  else delete next[p.id];
                  return next;
                })
              }
            >
              {t('cases.moderation.photoPublish')}
            </Checkbox>
            {p.id in chosen && (
              <>
                <BlurEditor
                  src={p.url}
                  regions={chosen[p.id] ?? []}
                  onChange={(regions) => setChosen((c) => ({ ...c, [p.id]: regions }))}
                />
                <Button size="small" onClick={() => setChosen((c) => ({ ...c, [p.id]: [] }))}>
                  {t('cases.moderation.clearBlur')}
                </Button>
              </>
            )}
          </div>
        ))}
        <Space>
          <Button type="primary" loading={moderate.isPending} onClick={() => submit('publish')}>
            {t('cases.moderation.publish')}
          </Button>
          <Button danger onClick={() => submit('reject')}>
            {t('cases.moderation.reject')}
          </Button>
        </Space>
        {moderate.error && <Alert type="error" showIcon message={moderate.error.message} />}
      </Space>
    </Panel>
  );
}
