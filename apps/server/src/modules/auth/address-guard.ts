// Failed logins counted per key in a window: per client address across accounts (its ceiling,
// LOGIN_FAILURES_PER_ADDRESS, 100 in 15 minutes by default, high enough for a township's villagers
// behind one carrier address), and per number at one address (lockout.service.ts). The per-account
// lockout stops guessing one password; the ceiling stops one address walking the phone book.
//
// Kept in memory, per process: the check must hold against attempts sent all at once, and counting
// attempts still in flight in one event loop makes it exact without a database write per attempt.
// Behind a load balancer with N nodes an address gets up to N times the limit, which still bounds it.
// Counts start again when the process restarts.

export type AddressGuard = {
  /**
   * Starts one login attempt from `address`, or refuses it: false when the failures in the window,
   * together with the attempts still being checked, have reached the limit.
   */
  begin(address: string, now: number): boolean;
  /** Ends an attempt begun; true when this failure is the one that reached the limit. */
  end(address: string, failed: boolean, now: number): boolean;
  /** Minutes until the address may try again, for the refusal's message. */
  minutesLeft(address: string, now: number): number;
  /** Failures the address may still have in the window before it is refused (attempts in flight count as failures). */
  triesLeft(address: string, now: number): number;
};

type Tally = { failures: number[]; inFlight: number };

const MAX_ADDRESSES = 100_000;

export function createAddressGuard(limit: number, windowMs: number): AddressGuard {
  const tallies = new Map<string, Tally>();
  const recent = (tally: Tally, now: number) => {
    while (tally.failures.length > 0 && (tally.failures[0] as number) <= now - windowMs) tally.failures.shift();
    return tally.failures.length;
  };
  return {
    begin(address, now) {
      let tally = tallies.get(address);
      if (!tally) {
        // Addresses with nothing in the window are forgotten first, so the map stays bounded.
        if (tallies.size >= MAX_ADDRESSES) {
          for (const [key, other] of tallies) if (other.inFlight === 0 && recent(other, now) === 0) tallies.delete(key);
          if (tallies.size >= MAX_ADDRESSES) tallies.delete(tallies.keys().next().value as string);
        }
        tally = { failures: [], inFlight: 0 };
        tallies.set(address, tally);
      }
      if (recent(tally, now) + tally.inFlight >= limit) return false;
      tally.inFlight++;
      return true;
    },
    end(address, failed, now) {
      const tally = tallies.get(address);
      if (!tally) return false;
      tally.inFlight = Math.max(0, tally.inFlight - 1);
      if (failed) tally.failures.push(now);
      const count = recent(tally, now);
      if (count === 0 && tally.inFlight === 0) tallies.delete(address);
      return failed && count === limit;
    },
    minutesLeft(address, now) {
      const oldest = tallies.get(address)?.failures[0];
      return oldest === undefined ? 1 : Math.max(1, Math.ceil((oldest + windowMs - now) / 60_000));
    },
    triesLeft(address, now) {
      const tally = tallies.get(address);
      return tally ? Math.max(0, limit - recent(tally, now) - tally.inFlight) : limit;
    },
  };
}
