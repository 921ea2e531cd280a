// Small pieces the cases pages share: the state tag, and the state a case will have once the
// actions still waiting in the outbox are sent.
import '../words.ts';
import type { CaseSummary } from '@cunzhi/contracts/cases';
import { useTranslation } from 'react-i18next';
import { Chip } from '../../../components/Light.tsx';
import type { WaitingItem } from '../../../lib/outbox.ts';

const STATE_COLOURS: Record<string, string> = {
  received: 'blue',
  answeredOnSpot: 'cyan',
  assigned: 'gold',
  accepted: 'orange',
  handled: 'purple',
  replied: 'green',
  closed: 'default',
};

export function StateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return <Chip colour={STATE_COLOURS[state]}>{t(`cases.states.${state}`)}</Chip>;
}

const AFTER_ACTION: Record<string, Partial<Record<string, string>>> = {
  accept: { assigned: 'accepted' },
  handle: { accepted: 'handled' },
  reply: { handled: 'replied' },
  rate: { replied: 'closed', answeredOnSpot: 'closed' },
};

/** The state the person will see once what waits in the outbox for this case has been sent. */
export function expectedState(c: Pick<CaseSummary, 'id' | 'state'>, pending: WaitingItem[]): string {
  let state: string = c.state;
  for (const item of pending) if (item.subjectId === c.id && item.action) state = AFTER_ACTION[item.action]?.[state] ?? state;
  return state;
}
