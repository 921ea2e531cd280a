// 办事 on a phone: find a service (by words or pinyin initials, or by life event), read what it
// needs, apply for someone of my household (or, at a service hall, for a villager who agreed), and
// follow my applications.
import '../words.ts';
import type { ServiceItem } from '@cunzhi/contracts/services';
import { LIFE_EVENTS } from '@cunzhi/contracts/services-lists';
import { memo, useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { FilePicker } from '../../../components/FilePicker.tsx';
import { ListEmpty } from '../../../components/ItemList.tsx';
import { CheckLine, Chip, Notice } from '../../../components/Light.tsx';
import { MoreButton } from '../../../components/MoreButton.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { type FieldError, fieldErrorOf } from '../../../lib/field-errors.ts';
import { formatWhen } from '../../../lib/format-time.ts';
import { newId } from '../../../lib/new-id.ts';
import { notLoadedForNetwork } from '../../../lib/offline-data.ts';
import { usePeople } from '../../../lib/people.ts';
import { useSession } from '../../../lib/session.ts';
import { appliesOnline, applyForService, uploadMaterial, useApplications, useItems } from '../api/services.ts';

const STATE_COLOURS: Record<string, string> = {
  submitted: 'blue',
  accepted: 'blue',
  moreMaterials: 'orange',
  approved: 'green',
  refused: 'red',
  delivered: 'green',
};

function ApplyForm({ item, agent, onDone }: { item: ServiceItem; agent: boolean; onDone(): void }) {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const [name, setName] = useState('');
  const household = usePeople({ householdId: session?.user.householdId ?? undefined }, Boolean(session?.user.householdId) && !agent);
  // The people search needs two characters of a name: fewer would list half the township.
  const searchable = name.trim().length >= 2;
  const found = usePeople({ name: name.trim() }, Boolean(agent && searchable));
  const people = (agent ? found.data?.pages.flatMap((p) => p.items) : household.data?.pages.flatMap((p) => p.items)) ?? [];
  const [personId, setPersonId] = useState<string>();
  const [consent, setConsent] = useState(false);
  const [mail, setMail] = useState(false);
  const [address, setAddress] = useState('');
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<FieldError | null>(null);
  // The materials go with the application, so the department sees it whole (最多跑一次).
  const [files, setFiles] = useState<Record<string, File>>({});
  // One key for this form: a second tap, or a retry after a lost answer, opens one application.
  const [idempotencyKey] = useState(newId);
  const [uploaded, setUploaded] = useState<Set<string>>(new Set());
  // Required materials not chosen: the application may still go (they can follow), but it is said first.
  const missingRequired = item.materials.filter((m) => m.required && !files[m.name]).map((m) => m.name);
  const submit = async () => {
    // The button waits for an applicant; this says so to the compiler.
    if (!personId) return;
    // Checked here, before sending: the server refuses mail with no address.
    if (mail && !address.trim()) {
      setFieldError({ field: 'address', message: t('services.addressRequired') });
      return;
    }
    setFieldError(null);
    let application: { id: string };
    try {
      application = await applyForService(
        {
          itemId: item.id,
          applicantPersonId: personId,
          delivery: mail ? 'mail' : 'collect',
          ...(mail && { address: address.trim() }),
          ...(agent && { consent }),
        },
        idempotencyKey,
      );
    } catch (e) {
      const onField = fieldErrorOf(e, i18n.language);
      // A refused field on this form is shown under it; anything else at the bottom.
      if (onField?.field === 'address' && mail) {
        setFieldError(onField);
        setError(undefined);
      } else setError((e as Error).message);
      return;
    }
    const failed: string[] = [];
    for (const [material, file] of Object.entries(files)) {
      if (uploaded.has(material)) continue;
      try {
        await uploadMaterial(application.id, material, file);
        setUploaded((done) => new Set(done).add(material));
      } catch {
        failed.push(material);
      }
    }
    // The application stands either way; asking again (same key) sends only what did not go up.
    if (failed.length > 0) setError(t('services.notUploaded', { names: failed.join('、') }));
    else onDone();
  };
  return (
    <div className="apply-form">
      {agent && (
        <input
          className="text-input"
          placeholder={t('services.findApplicant')}
          aria-label={t('services.findApplicant')}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      )}
      {agent && !searchable && <div className="muted">{t('services.typeTwoCharacters')}</div>}
      {agent && searchable && found.data && people.length === 0 && (
        <div className="muted">{t('services.noneFound', { name: name.trim() })}</div>
      )}
      {people.length > 0 && <p className="muted">{t('services.chooseApplicant')}</p>}
      <div role="radiogroup" aria-label={t('services.applicant')}>
        {people.map((p) => (
          <label key={p.id} className="check-line" data-testid="applicant-choice">
            <input type="radio" name={`applicant-${item.id}`} checked={personId === p.id} onChange={() => setPersonId(p.id)} />
            {/* Two villagers of one name are told apart by their group, the ends of their ID number and,
                for a hall agent (who may reveal the number, so is given it), the birth date. */}
            <span>
              {p.name}
              <span className="muted">
                {' · '}
                {p.regionName}
                {p.idNumberMasked && ` · ${t('services.idTail')} ${p.idNumberMasked}`}
                {p.birthDate && ` · ${p.birthDate}`}
              </span>
            </span>
          </label>
        ))}
      </div>
      {agent && (
        <CheckLine checked={consent} onChange={setConsent}>
          {t('services.consent')}
        </CheckLine>
      )}
      <CheckLine checked={mail} onChange={setMail}>
        {t('services.mailHome')}
      </CheckLine>
      {mail && (
        <input
          className="text-input"
          placeholder={t('services.address')}
          aria-label={t('services.address')}
          value={address}
          maxLength={200}
          aria-invalid={fieldError?.field === 'address'}
          onChange={(e) => setAddress(e.target.value)}
        />
      )}
      {mail && fieldError?.field === 'address' && <Notice type="error">{fieldError.message}</Notice>}
      {item.materials.length > 0 && (
        <fieldset className="apply-materials">
          <legend>{t('services.materials')}</legend>
          {item.materials.map((m) => (
            <FilePicker
              key={m.name}
              label={m.name}
              caption={m.required ? m.name : `${m.name}${t('services.optionalMaterial')}`}
              kind="file"
              accept="image/*,application/pdf"
              chosen={files[m.name] ? [(files[m.name] as File).name] : []}
              onChoose={([file]) => setFiles(({ [m.name]: _, ...rest }) => (file ? { ...rest, [m.name]: file } : rest))}
            />
          ))}
        </fieldset>
      )}
      {missingRequired.length > 0 && (
        <Notice type="warning" testId="apply-missing">
          {t('services.requiredMissing', { names: missingRequired.join('、') })}
        </Notice>
      )}
      {error && <Notice type="error">{error}</Notice>}
      <Button type="primary" block disabled={!personId} onClick={() => void submit()}>
        {t('services.apply')}
      </Button>
      {!personId && (
        <p className="disabled-why" data-testid="apply-why">
          {t('services.applyWhy')}
        </p>
      )}
    </div>
  );
}

function ItemCard({ item, agent, onApplied }: { item: ServiceItem; agent: boolean; onApplied(): void }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <article className="task-card" data-testid="service-item">
      <header>
        <button type="button" className="link-button task-title" onClick={() => setOpen((o) => !o)}>
          {item.name}
        </button>
      </header>
      <div className="chips">
        {item.tags.map((tag) => (
          <Chip key={tag} colour="green">
            {t(`services.tags.${tag}`)}
          </Chip>
        ))}
      </div>
      {open && (
        <>
          <div className="muted">
            {item.departmentName} · {t('services.promised', { days: item.promisedDays })} · {item.fee}
          </div>
          <ul className="plain-list">
            {item.materials.map((m) => (
              <li key={m.name}>
                {m.name}
                {m.required ? ` (${t('services.required')})` : ''}
                {m.sample && (
                  <>
                    {' · '}
                    <a href={`/api/services/items/${item.id}/samples/${m.sample}`} target="_blank" rel="noreferrer">
                      {t('services.sample')}
                    </a>
                  </>
                )}
              </li>
            ))}
          </ul>
          {agent || appliesOnline(item) ? (
            <ApplyForm
              item={item}
              agent={agent}
              onDone={() => {
                setOpen(false);
                onApplied();
              }}
            />
          ) : (
            <Notice type="info" testId="not-online">
              {t('services.notOnline', {
                places: item.places
                  .filter((p) => p !== 'online')
                  .map((p) => t(`services.places.${p}`, { defaultValue: p }))
                  .join(i18n.language === 'en' ? ' or ' : '或'),
              })}
            </Notice>
          )}
        </>
      )}
    </article>
  );
}

/**
 * The catalogue's cards, drawn in the background, in slices, once the page is up: drawn in the same
 * task as the answer's arrival they held a slow phone's main thread for over a second. The deferred
 * value lives here, in a component that follows no store, and not in the page: React checks, at the
 * end of a render in slices, that every store the components it drew read from is unchanged, and
 * draws all of it again in one piece when one has changed. With the page's three reads in that
 * render, my applications' answer arriving while the cards were drawn (both are asked for at start)
 * turned the cards' slices into one task (732 ms at 4× CPU slowdown in a Lighthouse run).
 */
const ItemCards = memo(function ItemCards({
  items,
  agent,
  onApplied,
}: {
  items: ServiceItem[] | undefined;
  agent: boolean;
  onApplied(): void;
}) {
  const shown = useDeferredValue(items);
  return (shown ?? []).map((item) => <ItemCard key={item.id} item={item} agent={agent} onApplied={onApplied} />);
});

/**
 * How many items the guide lists before 查看全部 when nothing is searched or picked: the whole
 * catalogue was a 7,000 px page in elder mode, too long to find anything by scrolling.
 */
const FIRST = 10;

export default function ServicesPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [lifeEvent, setLifeEvent] = useState<string>();
  const items = useItems({ q: q.trim() || undefined, lifeEvent });
  const [all, setAll] = useState(false);
  // A search or a life event narrows the guide: every match is listed.
  const narrowed = Boolean(q.trim() || lifeEvent);
  const total = items.data?.items.length ?? 0;
  const cut = !narrowed && !all && total > FIRST;
  // The same array until the answer or the cut changes: a new one at each render would defeat
  // ItemCards' memo, and my applications' answer would redraw every card in one long task.
  const shown = useMemo(() => (cut ? items.data?.items.slice(0, FIRST) : items.data?.items), [cut, items.data]);
  const mine = useApplications('mine');
  const { data: session } = useSession();
  // An agent at a service hall applies for a villager whatever the item (代办); a villager only online.
  const agent = Boolean(session?.user.assignments.some((a) => a.role === 'serviceHallAgent'));
  return (
    <div className="phone-page">
      <Panel title={t('services.mine')}>
        {/* Offline with nothing kept, the list is not loaded rather than empty (ListEmpty). */}
        {mine.isLoading ? (
          <div className="item-list-empty">…</div>
        ) : (
          (mine.data?.items ?? []).length === 0 && <ListEmpty empty={t('common.noData')} read={mine} />
        )}
        <ul className="plain-list" data-testid="my-applications">
          {(mine.data?.items ?? []).map((a) => (
            <li key={a.id}>
              <Link to={`/m/services/applications/${a.id}`}>{a.itemName}</Link> · {a.applicantName} ·{' '}
              <Chip colour={STATE_COLOURS[a.state]}>{t(`services.states.${a.state}`)}</Chip>{' '}
              <span className="muted">{formatWhen(a.createdAt)}</span>
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title={t('services.catalogue')}>
        <input
          className="text-input"
          placeholder={t('services.search')}
          aria-label={t('services.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <fieldset className="chips plain-fieldset" aria-label={t('services.lifeEvent')}>
          {LIFE_EVENTS.map((event) => (
            <button
              key={event}
              type="button"
              className={`chip chip-${lifeEvent === event ? 'blue' : 'default'}`}
              aria-pressed={lifeEvent === event}
              onClick={() => setLifeEvent(lifeEvent === event ? undefined : event)}
            >
              {t(`services.lifeEvents.${event}`)}
            </button>
          ))}
        </fieldset>
        <ItemCards items={shown} agent={agent} onApplied={mine.refetch} />
        {!narrowed && total > FIRST && (
          <MoreButton testId="services-all" expanded={all} onClick={() => setAll(!all)}>
            {all ? t('services.showFewer', { count: FIRST }) : t('services.showAll', { count: total })}
          </MoreButton>
        )}
        {(items.data?.items.length === 0 || notLoadedForNetwork(items)) && <ListEmpty empty={t('common.noData')} read={items} />}
      </Panel>
    </div>
  );
}
