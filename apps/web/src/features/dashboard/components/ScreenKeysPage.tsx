// 大屏密钥, for the county admin, township officials and village cadres (screen.manage): issue a key
// for a wall screen of their own place, see it this once as the address the wall opens, list the
// live keys of their place and the places under it, and revoke one (the wall goes dark at once).
// Laid out like the phone pages (cards, large buttons): a cadre sets up the wall from a phone too.
import '../words.ts';
import type { IssuedScreenKey, ScreenKeySummary } from '@cunzhi/contracts/dashboard-keys';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Input } from 'antd';
import { type CSSProperties, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Chip, Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { RegionPicker } from '../../../components/RegionPicker.tsx';
import { formatTime } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { useSession } from '../../../lib/session.ts';
import { issueScreenKey, revokeScreenKey, SCREEN_KEYS_KEY, useScreenKeys, wallAddress } from '../api/screen-keys.ts';

/** The roles holding screen.manage, each for its own place. */
const MANAGERS = ['countyAdmin', 'townshipOfficial', 'villageCadre'];
const FIELD: CSSProperties = { display: 'flex', flexDirection: 'column', gap: 4 };
const ROW: CSSProperties = { display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' };

const placeName = (region: ScreenKeySummary['region'], english: boolean) => (english && region.nameEn ? region.nameEn : region.name);

/** The new key, shown this once: the wall's address with a copy button, and what to do with it. */
function IssuedKey({ issued, onDone }: { issued: IssuedScreenKey; onDone(): void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const address = wallAddress(issued.region.id, issued.key);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(address);
      setCopied(true);
    } catch {
      // Without clipboard access (plain http) the address stays selectable in the box.
      setCopied(false);
    }
  };
  return (
    <div className="apply-form" data-testid="issued-key">
      <Notice type="success">{t('screenKeys.issued', { name: issued.name })}</Notice>
      <p>{t('screenKeys.once')}</p>
      <div style={FIELD}>
        <label htmlFor="wall-address">{t('screenKeys.address')}</label>
        <Input.TextArea
          id="wall-address"
          readOnly
          value={address}
          autoSize
          data-testid="wall-address"
          style={{ wordBreak: 'break-all', fontSize: 16 }}
          onFocus={(e) => e.target.select()}
        />
      </div>
      <div style={ROW}>
        <Button type="primary" size="large" onClick={() => void copy()}>
          {copied ? t('screenKeys.copied') : t('screenKeys.copy')}
        </Button>
        <Button size="large" onClick={onDone}>
          {t('screenKeys.done')}
        </Button>
      </div>
    </div>
  );
}

function Issue({ within, home, onIssued }: { within: string[]; home: string | undefined; onIssued(key: IssuedScreenKey): void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [regionId, setRegionId] = useState<string | undefined>(home);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // The same key while this screen is being issued (a retry), a new one for the next screen.
  const [attempt, setAttempt] = useState(newId);
  const ready = name.trim().length > 0 && Boolean(regionId) && !busy;
  const submit = async () => {
    if (!regionId) return;
    setBusy(true);
    setError(undefined);
    try {
      onIssued(await issueScreenKey(regionId, name.trim(), attempt));
      setName('');
      setAttempt(newId());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="apply-form">
      <label style={FIELD}>
        <span>{t('screenKeys.name')}</span>
        <input
          className="text-input"
          name="screen-name"
          value={name}
          maxLength={60}
          placeholder={t('screenKeys.nameHint')}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <div style={FIELD}>
        <label htmlFor="screen-place">{t('screenKeys.place')}</label>
        <RegionPicker
          id="screen-place"
          value={regionId}
          onChange={setRegionId}
          within={within}
          selectableLevels={['county', 'township', 'village']}
          placeholder={t('screenKeys.placeHint')}
        />
      </div>
      {error && <Notice type="error">{error}</Notice>}
      <div style={ROW}>
        <Button type="primary" size="large" disabled={!ready} onClick={() => void submit()}>
          {t('screenKeys.issue')}
        </Button>
      </div>
      {!ready && !busy && <p className="disabled-why">{t('screenKeys.whyNoIssue')}</p>}
    </div>
  );
}

function KeyCard({ item, onRevoked }: { item: ScreenKeySummary; onRevoked(): void }) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await revokeScreenKey(item.id);
      onRevoked();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  const place = placeName(item.region, i18n.language === 'en');
  return (
    <article className="task-card" data-testid="screen-key">
      <header>
        <span className="task-title">{item.name}</span>
        {item.revokedAt && <Chip colour="red">{t('screenKeys.revokedChip')}</Chip>}
      </header>
      <div>{place}</div>
      <div className="muted">
        {t('screenKeys.issuedBy', { name: item.issuedBy ?? t('screenKeys.system'), time: formatTime(item.createdAt) })}
      </div>
      <div className="muted">
        {item.lastUsedAt ? t('screenKeys.lastUsed', { time: formatTime(item.lastUsedAt) }) : t('screenKeys.neverUsed')}
      </div>
      {item.revokedAt && <div className="muted">{t('screenKeys.revokedAt', { time: formatTime(item.revokedAt) })}</div>}
      {error && <Notice type="error">{error}</Notice>}
      {item.revokedAt ? null : confirming ? (
        <div className="apply-form" data-testid="revoke-confirm">
          <Notice type="warning">{t('screenKeys.revokeWhat', { name: item.name })}</Notice>
          <div style={ROW}>
            <Button danger type="primary" size="large" disabled={busy} onClick={() => void revoke()}>
              {t('screenKeys.revokeConfirm')}
            </Button>
            <Button size="large" disabled={busy} onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
          </div>
        </div>
      ) : (
        <div style={{ ...ROW, marginTop: 8 }}>
          <Button size="large" href={`/screen/${item.region.id}`} target="_blank" rel="noopener">
            {t('screenKeys.open')}
          </Button>
          <Button danger size="large" onClick={() => setConfirming(true)}>
            {t('screenKeys.revoke')}
          </Button>
        </div>
      )}
    </article>
  );
}

export default function ScreenKeysPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const { data: session } = useSession();
  const mine = (session?.user.assignments ?? []).filter((a) => MANAGERS.includes(a.role));
  const within = mine.map((a) => a.regionId);
  const list = useScreenKeys(undefined);
  const [issued, setIssued] = useState<IssuedScreenKey>();
  const [revoked, setRevoked] = useState<string>();
  const refresh = () => void client.invalidateQueries({ queryKey: [SCREEN_KEYS_KEY] });
  return (
    <div className="phone-page">
      <Panel title={t('screenKeys.new')}>
        {issued ? (
          <IssuedKey issued={issued} onDone={() => setIssued(undefined)} />
        ) : (
          <Issue
            within={within}
            home={mine[0]?.regionId}
            onIssued={(key) => {
              setIssued(key);
              setRevoked(undefined);
              refresh();
            }}
          />
        )}
      </Panel>
      <Panel title={t('nav.screenKeys')}>
        {revoked && <Notice type="success">{t('screenKeys.revoked', { name: revoked })}</Notice>}
        {!list.data && !list.error && <div className="item-list-empty">…</div>}
        {list.error && <Notice type="error">{list.error.message}</Notice>}
        {list.data?.items.length === 0 && <div className="item-list-empty">{t('screenKeys.none')}</div>}
        {(list.data?.items ?? []).map((item) => (
          <KeyCard
            key={item.id}
            item={item}
            onRevoked={() => {
              setRevoked(item.name);
              refresh();
            }}
          />
        ))}
      </Panel>
    </div>
  );
}
