// Not 'server-only': the migration step uses it too.
import { Logger } from "graphile-worker";

/** The queue's warnings and errors, prefixed; its info and debug lines would drown a start's output. */
export function queueLogger(): Logger {
  return new Logger(() => (level, message) => {
    if (level === "error") console.error(`[worker] ${message}`);
    else if (level === "warning") console.warn(`[worker] ${message}`);
  });
}
