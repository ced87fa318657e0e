// The time as the sign-in rules see it (code expiry, TOTP steps). One injectable source, so tests
// can set the time a code is checked at instead of waiting for it.
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
