/**
 * The one clock everything reads (docs/architecture.md, "Time"). It runs at real speed from an offset that
 * only ever grows: POST /_emulator/clock moves it forward, CLOCK_START sets where it begins.
 * Readings are epoch seconds with millisecond precision, the unit AWS timestamps use on the wire.
 */
export interface Clock {
  /** Epoch seconds. */
  now(): number;
}

export class OffsetClock implements Clock {
  private offsetMs: number;
  constructor(
    offsetMs = 0,
    private readonly realNowMs: () => number = Date.now,
  ) {
    this.offsetMs = offsetMs;
  }

  now(): number {
    return (this.realNowMs() + this.offsetMs) / 1000;
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  /** Start the clock at `epochSeconds` (used for CLOCK_START and when state is restored). */
  setNow(epochSeconds: number): void {
    this.offsetMs = Math.round(epochSeconds * 1000) - this.realNowMs();
  }

  setOffsetSeconds(seconds: number): void {
    this.offsetMs = Math.round(seconds * 1000);
  }

  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new RangeError("the clock only moves forward");
    this.offsetMs += Math.round(seconds * 1000);
  }
}

const CLOCK_OFFSET = "clock.offsetSeconds";

/** Persist the clock's offset, so a restart on the same data continues at the same time. */
export function saveClock(store: { setMeta(key: string, value: string): void }, clock: OffsetClock): void {
  store.setMeta(CLOCK_OFFSET, String(clock.offsetSeconds));
}

/** The clock a store left off at, or one starting at `start` (ISO time) or now. */
export function restoreClock(store: { getMeta(key: string): string | undefined }, start?: string): OffsetClock {
  const clock = new OffsetClock();
  const saved = store.getMeta(CLOCK_OFFSET);
  if (saved !== undefined) clock.setOffsetSeconds(Number(saved));
  else if (start) clock.setNow(Date.parse(start) / 1000);
  return clock;
}

/** A clock stopped at `at`: what scheduled work hands to code that reads a clock. */
export const fixedClock = (at: number): Clock => ({ now: () => at });
