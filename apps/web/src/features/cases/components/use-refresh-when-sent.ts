import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { onSent } from '../../../lib/outbox.ts';
import { CASES_KEY } from '../api/cases.ts';

/** When the outbox delivers an action, the lists and the case it touched are read again. */
export function useRefreshWhenSent(): void {
  const client = useQueryClient();
  useEffect(() => onSent(() => void client.invalidateQueries({ queryKey: [CASES_KEY] })), [client]);
}
