import "server-only";
import type { SessionLimits } from "@/lib/domain/session-lifetime";
import { env } from "../env";

export function sessionLimits(): SessionLimits {
  return { idleMinutes: env().SESSION_IDLE_MINUTES, maxHours: env().SESSION_MAX_HOURS };
}
