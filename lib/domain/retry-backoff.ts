/** How long to wait before the next attempt, given how many attempts were made (1 after the first failure). */
export type BackoffSettings = { baseMs: number; maxMs: number };

/**
 * Exponential backoff with "equal jitter": half of the doubled delay is fixed, half random, so
 * deliveries that failed together (a mail server's outage) do not all retry in the same second,
 * and none retries sooner than half its step.
 */
export function retryDelayMs(attempts: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const step = Math.min(settings.maxMs, settings.baseMs * 2 ** exponent);
  return Math.round(step / 2 + random() * (step / 2));
}
