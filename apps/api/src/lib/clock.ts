/** Injected time source, so tests control expiry without sleeping. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
export const epochSeconds = (clock: Clock) => Math.floor(clock.now().getTime() / 1000);
