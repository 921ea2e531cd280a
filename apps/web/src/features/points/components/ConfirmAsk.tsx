// The question the points page asks before a step that spends or gives up points (exchanging,
// cancelling an exchange): what happens, the step, and a way out; the phone's back button is the way out.
import { type ReactNode, useRef } from 'react';
import { Button } from '../../../components/Button.tsx';
import { Notice } from '../../../components/Light.tsx';
import { useBackCloses } from '../../../components/SideDrawer.tsx';

export function ConfirmAsk({
  title,
  testId,
  question,
  confirm,
  keep,
  danger = false,
  onConfirm,
  onKeep,
}: {
  title: string;
  testId: string;
  question: ReactNode;
  confirm: string;
  keep: string;
  danger?: boolean;
  onConfirm(): void;
  onKeep(): void;
}) {
  useBackCloses(true, onKeep);
  // Answered once: two taps landing before the question is gone (one task) exchanged twice (newcomer).
  const answered = useRef(false);
  const once = (answer: () => void) => () => {
    if (answered.current) return;
    answered.current = true;
    answer();
  };
  return (
    <div role="alertdialog" aria-label={title} data-testid={testId}>
      <Notice type="warning">{question}</Notice>
      <Button type="primary" danger={danger} block size="large" onClick={once(onConfirm)}>
        {confirm}
      </Button>
      <Button block size="large" onClick={once(onKeep)}>
        {keep}
      </Button>
    </div>
  );
}
