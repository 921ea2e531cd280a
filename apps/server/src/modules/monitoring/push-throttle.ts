// Wrong push keys (and pushes to unknown cameras), counted per camera and per address in fixed
// windows, in this process's memory. Past the limit a miss is answered 429 with Retry-After
// instead of 401/404, and only the first such refusal of each window and subject is audited: an
// address sending a thousand guesses a second must not write a thousand audit rows a second.
// A right key always gets through, from any address: villages' cameras often share one mobile
// router's address, and one camera left with an old key (or someone else's guesses) must not
// silence the others. Guessing itself is hopeless (keys are 192 random bits); what the throttle
// bounds is the noise. A restart forgets the counts.

export const PUSH_WINDOW_MS = 10 * 60_000;
export const WRONG_KEYS_PER_CAMERA = 10;
export const WRONG_KEYS_PER_ADDRESS = 30;
/** Subjects remembered at most; the oldest windows are forgotten first. */
const MAX_SUBJECTS = 10_000;

type Window = { start: number; failures: number; refusalsAudited: boolean };

export type ThrottleVerdict = { throttled: false } | { throttled: true; retryAfterSeconds: number; audit: boolean };

export class PushThrottle {
  private readonly windows = new Map<string, Window>();

  private windowOf(subject: string, now: number): Window {
    let window = this.windows.get(subject);
    if (!window || now - window.start >= PUSH_WINDOW_MS) {
      this.windows.delete(subject);
      window = { start: now, failures: 0, refusalsAudited: false };
      this.windows.set(subject, window);
      if (this.windows.size > MAX_SUBJECTS) this.windows.delete(this.windows.keys().next().value as string);
    }
    return window;
  }

  /** Whether `subject` ('camera:<id>' or 'address:<ip>') is past `limit` wrong keys in its window. */
  check(subject: string, limit: number, now: number): ThrottleVerdict {
    const window = this.windows.get(subject);
    if (!window || now - window.start >= PUSH_WINDOW_MS || window.failures < limit) return { throttled: false };
    const audit = !window.refusalsAudited;
    window.refusalsAudited = true;
    return { throttled: true, retryAfterSeconds: Math.max(1, Math.ceil((window.start + PUSH_WINDOW_MS - now) / 1000)), audit };
  }

  /** One more wrong key (or unknown camera) for each subject. */
  fail(subjects: string[], now: number): void {
    for (const subject of subjects) this.windowOf(subject, now).failures++;
  }
}
