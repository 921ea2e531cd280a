// The question the points page asks before a step that spends or gives up points (exchanging,
// cancelling an exchange): what happens, the step, and a way out; the phone's back button is the way out.
import type { ReactNode } from 'react';
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
  return (
    <div role="alertdialog" aria-label={title} data-testid={testId}>
      <Notice type="warning">{question}</Notice>
      <Button type="primary" danger={danger} block size="large" onClick={onConfirm}>
        {confirm}
      </Button>
      <Button block size="large" onClick={onKeep}>
        {keep}
      </Button>
    </div>
  );
}
