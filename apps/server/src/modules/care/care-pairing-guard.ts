// Wrong pairing codes counted across every address, in fixed windows as long as a code lives, in
// this process's memory (platform/process-cache.ts). Each address is also held to the login rate
// (the route's rate limit), but a thousand addresses at that rate try a million codes in a code's
// ten minutes: one in a hundred of the eight-digit codes then live. A wrong guess names no code,
// so it is a guess at every code live at the time: the limit on one code's guesses is the limit on
// all wrong codes while it lives. Past it every pairing is answered 429 with Retry-After until the
// window ends, the right code too (letting a right code through would let the guessing go on):
// an attack delays a family's pairing by minutes, and it cannot take over a home.
// With the defaults a code meets at most 2 × WRONG_PAIRING_CODES guesses in its life (the window it
// was issued in and the next): 1 chance in a million. A restart forgets the count (README).

/** A window: as long as a pairing code lives. */
export const PAIRING_GUARD_WINDOW_MS = 10 * 60_000;
/** Wrong codes from all addresses together in one window before pairing waits for the next. */
export const WRONG_PAIRING_CODES = 50;
/** Addresses whose refusals are each audited once per window; beyond them a flood writes no more rows. */
const AUDITED_ADDRESSES = 1_000;

export type PairingVerdict = { open: true } | { open: false; retryAfterSeconds: number; audit: boolean };

export class PairingGuard {
  private start = 0;
  private wrong = 0;
  private readonly audited = new Set<string>();

  private roll(now: number): void {
    if (now - this.start < PAIRING_GUARD_WINDOW_MS && now >= this.start) return;
    this.start = now;
    this.wrong = 0;
    this.audited.clear();
  }

  /** Whether a pairing from `address` may be tried now; a refusal says whether to audit it (once per address and window). */
  check(address: string, now: number): PairingVerdict {
    this.roll(now);
    if (this.wrong < WRONG_PAIRING_CODES) return { open: true };
    const audit = !this.audited.has(address) && this.audited.size < AUDITED_ADDRESSES;
    if (audit) this.audited.add(address);
    return { open: false, retryAfterSeconds: Math.max(1, Math.ceil((this.start + PAIRING_GUARD_WINDOW_MS - now) / 1000)), audit };
  }

  /** One more wrong (or used, or late) code. */
  fail(now: number): void {
    this.roll(now);
    this.wrong++;
  }
}
