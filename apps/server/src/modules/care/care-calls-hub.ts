// The live side of family calls, kept in this process: who has a call stream open (a family member's
// or caretaker's browser, an elder's home device) and the calls ringing or on, with their timers.
// The database keeps every call and how it ended; this keeps what only matters while it happens.
// One process holds it, and nothing relays it to another: with several servers, both sides of a
// call must reach the same one (README, Family calls, "Where a call lives"). A stop ends the calls
// held here in the database (endEveryCall); a crash leaves their rows as they were.
import type { CallKind } from '@cunzhi/contracts/care-calls';
import type { Deps } from '../../platform/deps.ts';
import { processCache } from '../../platform/process-cache.ts';

/** A side of a call: a signed-in user, or the elder's home (every device paired to it rings). */
export type Party = { kind: 'user'; userId: string } | { kind: 'home'; elderPersonId: string };

export const partyKey = (party: Party) => (party.kind === 'user' ? `user:${party.userId}` : `home:${party.elderPersonId}`);
export const sameParty = (a: Party, b: Party) => partyKey(a) === partyKey(b);

export type Sink = (event: string, data: unknown) => void;

export type LiveCall = {
  id: string;
  elderPersonId: string;
  kind: CallKind;
  caller: Party;
  callee: Party;
  state: 'ringing' | 'active';
  autoAnswer: boolean;
  timer?: NodeJS.Timeout;
};

export type CallHub = {
  calls: Map<string, LiveCall>;
  connect(party: Party, sink: Sink): () => void;
  online(party: Party): boolean;
  send(party: Party, event: string, data: unknown): void;
  /** Ends every stream and timer: the server is stopping. */
  close(): void;
};

function createHub(): CallHub {
  const sinks = new Map<string, Set<Sink>>();
  const calls = new Map<string, LiveCall>();
  const closers = new Set<() => void>();
  return {
    calls,
    connect(party, sink) {
      const key = partyKey(party);
      const set = sinks.get(key) ?? new Set<Sink>();
      set.add(sink);
      sinks.set(key, set);
      const disconnect = () => {
        set.delete(sink);
        if (set.size === 0) sinks.delete(key);
        closers.delete(disconnect);
      };
      closers.add(disconnect);
      return disconnect;
    },
    online: (party) => (sinks.get(partyKey(party))?.size ?? 0) > 0,
    send(party, event, data) {
      for (const sink of sinks.get(partyKey(party)) ?? []) sink(event, data);
    },
    close() {
      for (const call of calls.values()) clearTimeout(call.timer);
      calls.clear();
      for (const disconnect of [...closers]) disconnect();
    },
  };
}

export const callHub = (deps: Deps): CallHub => processCache(deps, 'care.calls.hub', createHub);
