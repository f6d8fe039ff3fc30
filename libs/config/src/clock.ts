/** Time is injected: domain code asks a Clock, so expiry rules are testable. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { now: () => new Date() };
