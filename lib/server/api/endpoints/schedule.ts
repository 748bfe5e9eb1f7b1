import "server-only";
import { endpoint } from "../endpoint";
import { conflictsForApi, freezesForApi } from "../read-schedule";
import { conflictQuerySchema, conflictsSchema, freezeListQuerySchema, freezeListSchema } from "../schedule-schemas";

/** What a change in a window would hit, before it is filed. */
export const scheduleConflicts = endpoint({
  method: "GET",
  path: "/schedule/conflicts",
  tag: "Schedule",
  summary: "What a change in this window would hit",
  description:
    "Freezes, maintenance windows and overlaps with scheduled changes, as the change page checks them, for a change of `type` on the CIs `ci` (repeated or comma-separated) from `start` to `end`.",
  scope: "changes:read",
  input: conflictQuerySchema,
  output: conflictsSchema,
  repeatable: ["ci"],
  run: conflictsForApi,
});

/** The current and coming freezes. */
export const listFreezes = endpoint({
  method: "GET",
  path: "/freezes",
  tag: "Schedule",
  summary: "Current and coming freeze windows",
  description: "Those in force now and those starting within a year, soonest first, as the calendar shades them.",
  scope: "changes:read",
  input: freezeListQuerySchema,
  output: freezeListSchema,
  run: freezesForApi,
});
