/**
 * The mock's notion of now. Purge schedules and key expiry read it, so tests and frontend teams can move time
 * forward through the control API instead of waiting an hour. It never goes backwards.
 */
export interface Clock {
  now(): number;
}

export class MockClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: () => number = Date.now) {}

  now(): number {
    return this.base() + this.offsetMs;
  }

  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new RangeError('the clock only moves forward');
    this.offsetMs += seconds * 1000;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
