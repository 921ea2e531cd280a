// Live updates for browsers (Server-Sent Events). In one process the bus is a set of listeners;
// several nodes would relay through PostgreSQL LISTEN/NOTIFY behind the same interface.
import type { Permission, Placement } from './access.ts';
import type { AuditEntry } from './audit.ts';

export type LiveEvent = {
  type: string;
  data: unknown;
  /** Sensitive data (an alarm's reading): each delivery is a read, audited as this for its receiver. */
  audit?: AuditEntry;
} & (
  | {
      /** Who may receive it: holders of this permission over this place. */
      permission: Permission;
      placement: Placement;
      /** Also these users, whatever their roles (a family member linked to an elder). */
      users?: string[];
    }
  | {
      /** Nobody by role: only these users (the people a notice has just reached), however wide anyone's scope. */
      permission?: undefined;
      placement?: undefined;
      users: string[];
    }
);

export type EventBus = { publish(event: LiveEvent): void; subscribe(listener: (event: LiveEvent) => void): () => void };

export function createEventBus(): EventBus {
  const listeners = new Set<(event: LiveEvent) => void>();
  return {
    publish(event) {
      for (const listener of listeners) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
