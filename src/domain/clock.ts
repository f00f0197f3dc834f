/**
 * The one source of time. `--now` / SHENBAO_NOW sets the instant the clock starts at;
 * from there it runs forward in real time (cli.md), so a demo started "at" 2023-07-17
 * still sees seconds pass.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export function clockStartingAt(start: Date, realNow: () => number = Date.now): Clock {
  const offset = start.getTime() - realNow();
  return () => new Date(realNow() + offset);
}

/** A clock that never moves: for pure tests. */
export function fixedClock(at: Date): Clock {
  return () => new Date(at.getTime());
}
