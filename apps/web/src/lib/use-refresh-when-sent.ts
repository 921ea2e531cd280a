import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { onSent } from './outbox.ts';

/** When the outbox delivers an action, the queries under this key (lists, accounts, the thing it touched) are read again. */
export function useRefreshWhenSent(key: string): void {
  const client = useQueryClient();
  useEffect(() => onSent(() => void client.invalidateQueries({ queryKey: [key] })), [client, key]);
}
