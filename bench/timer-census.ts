/**
 * Counts the timers a process holds, ref'd or not. `process.getActiveResourcesInfo()` lists only
 * ref'd timers (the ones that keep the process alive); an unref'd interval still wakes the event
 * loop on every tick, so both are worth knowing. Installed by wrapping the global timer functions
 * before the libraries are loaded; the libraries themselves are not touched.
 */
type Timer = ReturnType<typeof setTimeout>;

export interface TimerCount {
  /** Timers created and not yet cleared (timeouts not yet fired). */
  live: number;
  /** Of those, the ones that keep the process alive. */
  refd: number;
}

export function installTimerCensus(): () => TimerCount {
  const live = new Set<Timer>();
  const { setTimeout: originalSetTimeout, setInterval: originalSetInterval } = globalThis;
  const { clearTimeout: originalClearTimeout, clearInterval: originalClearInterval } = globalThis;
  const forget = (timer: unknown) => {
    if (typeof timer === 'object' && timer !== null) live.delete(timer as Timer);
  };
  globalThis.setTimeout = Object.assign(
    (callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]): Timer => {
      const timer: Timer = originalSetTimeout(
        (...callArgs: unknown[]) => {
          live.delete(timer);
          callback(...callArgs);
        },
        delay,
        ...args,
      );
      live.add(timer);
      return timer;
    },
    originalSetTimeout,
  ) as typeof setTimeout;
  globalThis.setInterval = Object.assign(
    (callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]): Timer => {
      const timer = originalSetInterval(callback, delay, ...args);
      live.add(timer);
      return timer;
    },
    originalSetInterval,
  ) as typeof setInterval;
  globalThis.clearTimeout = ((timer?: Timer | string | number) => {
    forget(timer);
    originalClearTimeout(timer);
  }) as typeof clearTimeout;
  globalThis.clearInterval = ((timer?: Timer | string | number) => {
    forget(timer);
    originalClearInterval(timer);
  }) as typeof clearInterval;
  return () => ({ live: live.size, refd: [...live].filter((timer) => timer.hasRef()).length });
}
