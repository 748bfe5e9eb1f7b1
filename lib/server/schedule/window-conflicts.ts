import "server-only";
import { randomUUID } from "node:crypto";
import type { ChangeType } from "@/lib/domain/change-types";
import { refuse, ok, type Result } from "@/lib/domain/result";
import type { Conflict } from "@/lib/domain/schedule-conflicts";
import type { TimeWindow } from "@/lib/domain/schedule-windows";
import { db } from "../db/db";
import { loadSchedule, scheduleCis } from "./load-schedule";

/**
 * What a change of `type` on these CIs in this window would hit (freezes, maintenance windows,
 * overlaps with scheduled changes): the change page's own conflict check, for a change not yet filed.
 */
export async function conflictsOfWindow(input: {
  ciIds: readonly string[];
  window: TimeWindow;
  type: ChangeType;
}): Promise<Result<Conflict[]>> {
  const known = await scheduleCis(db(), input.ciIds);
  if (known.length !== new Set(input.ciIds).size)
    return refuse("Check the highlighted fields.", { ci: "One of these configuration items does not exist." });
  // A change that is not filed has no number, no exception and no implementer yet; its id matches no other.
  const change = {
    id: randomUUID(),
    number: 0,
    title: "",
    type: input.type,
    window: input.window,
    ciIds: input.ciIds,
    implementerId: null,
  };
  const schedule = await loadSchedule(db(), [change]);
  return ok(schedule.get(change.id)!.conflicts);
}
