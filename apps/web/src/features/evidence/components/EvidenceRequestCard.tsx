// One evidence request as both pages show it: the case, the camera and place, the time range,
// who asked and why, and the decision once made.
import '../words.ts';
import type { EvidenceRequest } from '@cunzhi/contracts/monitoring-evidence';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Chip } from '../../../components/Light.tsx';
import { formatWhen } from '../../../lib/format-time.ts';

/** A form field: its label above the input, a hint below. */
export const FIELD: CSSProperties = { display: 'flex', flexDirection: 'column', gap: 4 };
/** Buttons side by side, wrapping on a narrow phone. */
export const ROW: CSSProperties = { display: 'flex', flexWrap: 'wrap', gap: 8 };

const STATUS_COLOURS: Record<EvidenceRequest['status'], string> = {
  requested: 'orange',
  approved: 'green',
  refused: 'red',
  withdrawn: 'default',
};

export function EvidenceRequestCard({ request, children }: { request: EvidenceRequest; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <article className="task-card" data-testid="evidence-request">
      <header>
        <span className="task-title">{request.caseNumber}</span>
        <Chip colour={STATUS_COLOURS[request.status]}>{t(`evidence.statuses.${request.status}`)}</Chip>
      </header>
      <div>
        {request.camera.name} · {request.regionName}
      </div>
      <div className="muted">
        {formatWhen(request.from)} – {formatWhen(request.to)}
        {request.imageCount !== null && ` · ${t('evidence.pictures', { count: request.imageCount })}`}
      </div>
      <div className="muted">
        {t('evidence.requestedBy')}：{request.requestedBy.name} · {formatWhen(request.requestedAt)}
      </div>
      <p>{request.reason}</p>
      {request.decidedBy && (
        <div className="muted">
          {t('evidence.decidedBy')}：{request.decidedBy.name}
          {request.decidedAt && ` · ${formatWhen(request.decidedAt)}`}
          {request.decisionReason && ` · ${request.decisionReason}`}
        </div>
      )}
      {children}
    </article>
  );
}
