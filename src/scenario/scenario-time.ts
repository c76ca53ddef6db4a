/**
 * A scenario is written in scenario seconds and runs `speed` times faster: at 10x, the seed's 6 s
 * reset timeout is 600 real milliseconds, and a call that took 80 ms took 0.8 scenario seconds.
 */
export class ScenarioTime {
  constructor(readonly speed: number) {}

  /** Scenario seconds -> real milliseconds. */
  realMs(seconds: number): number {
    return (seconds * 1000) / this.speed;
  }

  /** Real milliseconds -> scenario seconds. */
  seconds(ms: number): number {
    return (ms * this.speed) / 1000;
  }
}
