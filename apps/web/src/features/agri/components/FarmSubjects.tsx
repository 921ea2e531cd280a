// A household's plots and flocks on its phone: one card each with what it is in one line, and
// the things done to it one tap away: record what was seen (记农情), change it, its camera's
// time-lapse when a farm camera watches it, remove it (after asking). Adding opens the form in place.
import '../words.ts';
import type { Farm, Flock, Plot } from '@cunzhi/contracts/agri-farms';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/Button.tsx';
import { Notice } from '../../../components/Light.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { AGRI_KEY, farmApi } from '../api/farm.ts';
import { flockLine, plotLine } from '../labels.ts';
import { FlockForm, PlotForm } from './SubjectForms.tsx';

type Kind = 'plot' | 'flock';
type Subject = { kind: 'plot'; item: Plot } | { kind: 'flock'; item: Flock };

function SubjectCard({
  subject,
  onEdit,
  onRemoved,
  own,
  editable,
}: {
  subject: Subject;
  onEdit(): void;
  onRemoved(name: string): void;
  /** The household's own phone: recording what was seen is its first action. */
  own: boolean;
  editable: boolean;
}) {
  const { t, i18n } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string>();
  const { item, kind } = subject;
  const line = subject.kind === 'plot' ? plotLine(subject.item, i18n.language) : flockLine(subject.item, i18n.language);
  const remove = async () => {
    try {
      if (kind === 'plot') await farmApi.retirePlot(item.id);
      else await farmApi.retireFlock(item.id);
      onRemoved(item.name);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <li className="agri-card" data-testid={`${kind}-card`}>
      <h3>{item.name}</h3>
      <p>{line}</p>
      {subject.kind === 'flock' && subject.item.ageDays !== null && (
        <p className="muted">{t('agri.farm.age', { count: subject.item.ageDays })}</p>
      )}
      {error && <Notice type="error">{error}</Notice>}
      {asking ? (
        <div role="alertdialog" aria-label={t('agri.farm.removeTitle')}>
          <Notice type="warning">{t('agri.farm.removeAsk', { name: item.name })}</Notice>
          <div className="agri-actions">
            <Button danger type="primary" size="large" onClick={() => void remove()}>
              {t('agri.farm.removeConfirm')}
            </Button>
            <Button size="large" onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </Button>
          </div>
        </div>
      ) : (
        <div className="agri-actions">
          {own && (
            <Link className="btn btn-primary" to={`/m/agri/observe?${kind}=${item.id}`}>
              {t('agri.farm.observe')}
            </Link>
          )}
          {item.camera && (
            <Link className="btn btn-default" to={`/m/farm/${item.camera.cameraId}`} data-testid="time-lapse-link">
              {t('agri.farm.timeLapse')}
            </Link>
          )}
          {editable && <Button onClick={onEdit}>{t('agri.farm.edit')}</Button>}
          {editable && <Button onClick={() => setAsking(true)}>{t('agri.farm.remove')}</Button>}
        </div>
      )}
    </li>
  );
}

/**
 * The plots or the flocks of the farm, with adding and changing in place when `editable` (the
 * household itself, or the extension worker on the desk); `own` is the household's phone.
 */
export function FarmSubjects({
  farm,
  householdId,
  kind,
  own = true,
  editable = true,
}: {
  farm: Farm | null;
  householdId: string;
  kind: Kind;
  own?: boolean;
  editable?: boolean;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [editing, setEditing] = useState<string | 'new'>();
  const [done, setDone] = useState<string>();
  const subjects: Subject[] =
    kind === 'plot'
      ? (farm?.plots ?? []).map((item) => ({ kind: 'plot', item }))
      : (farm?.flocks ?? []).map((item) => ({ kind: 'flock', item }));
  const finish = (message: string) => {
    setEditing(undefined);
    setDone(message);
    void client.invalidateQueries({ queryKey: [AGRI_KEY] });
  };
  const form = (item?: Plot | Flock) => {
    const props = {
      householdId,
      onDone: (name: string) => finish(t(item ? 'agri.farm.changed' : 'agri.farm.added', { name })),
      onCancel: () => setEditing(undefined),
    };
    return kind === 'plot' ? (
      <PlotForm {...props} editing={item as Plot | undefined} />
    ) : (
      <FlockForm {...props} editing={item as Flock | undefined} />
    );
  };
  return (
    <Panel title={t(kind === 'plot' ? 'agri.farm.plots' : 'agri.farm.flocks')}>
      {done && (
        <Notice type="success" onClose={() => setDone(undefined)}>
          {done}
        </Notice>
      )}
      {subjects.length === 0 && editing !== 'new' && (
        <p className="muted">{t(kind === 'plot' ? 'agri.farm.noPlots' : 'agri.farm.noFlocks')}</p>
      )}
      <ul className="agri-cards">
        {subjects.map((subject) =>
          editing === subject.item.id ? (
            <li key={subject.item.id} className="agri-card">
              {form(subject.item)}
            </li>
          ) : (
            <SubjectCard
              key={subject.item.id}
              subject={subject}
              onEdit={() => {
                setDone(undefined);
                setEditing(subject.item.id);
              }}
              onRemoved={(name) => finish(t('agri.farm.removed', { name }))}
              own={own}
              editable={editable}
            />
          ),
        )}
      </ul>
      {!editable ? null : editing === 'new' ? (
        <div className="agri-card">{form()}</div>
      ) : (
        <Button
          size="large"
          block
          onClick={() => {
            setDone(undefined);
            setEditing('new');
          }}
          style={{ marginTop: 8 }}
        >
          {t(kind === 'plot' ? 'agri.farm.addPlot' : 'agri.farm.addFlock')}
        </Button>
      )}
    </Panel>
  );
}
