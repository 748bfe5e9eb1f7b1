import "server-only";
import { ok, type Result } from "@/lib/domain/result";
import { comingFreezes } from "../schedule/calendar";
import { conflictsOfWindow } from "../schedule/window-conflicts";
import type { ConflictQuery, ConflictsResource, FreezeResource } from "./schedule-schemas";

// The API's schedule: the conflict check of the change page and the freezes the calendar shades,
// both open to every role (the calendar is everyone's).

/** What a change in this window on these CIs would hit. */
export async function conflictsForApi(_actor: unknown, query: ConflictQuery): Promise<Result<ConflictsResource>> {
  const found = await conflictsOfWindow({ ciIds: query.ci, window: { start: query.start, end: query.end }, type: query.type });
  if (!found.ok) return found;
  return ok({
    window: { start: query.start.toISOString(), end: query.end.toISOString() },
    type: query.type,
    blocked: found.value.some((c) => c.severity === "block"),
    conflicts: found.value.map((c) => ({
      kind: c.kind,
      severity: c.severity,
      message: c.message,
      proceed: c.proceed,
      other: c.other ?? null,
    })),
  });
}

/** The freezes now in force and those starting within a year, soonest first. */
export async function freezesForApi(): Promise<Result<{ items: FreezeResource[] }>> {
  const freezes = await comingFreezes();
  return ok({
    items: freezes.map((f) => ({
      id: f.id,
      start: f.start.toISOString(),
      end: f.end.toISOString(),
      reason: f.reason,
      scope: f.scope,
      environments: [...f.environments],
      tags: [...f.tags],
    })),
  });
}
