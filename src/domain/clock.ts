/**
 * The one clock everything reads (DESIGN rule 7). It runs at real speed from an offset that
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
