import "server-only";
import { z } from "zod";
import { CHANGE_TYPES } from "@/lib/domain/change-types";
import { isUuid } from "@/lib/domain/is-uuid";
import { optionalParam } from "@/lib/domain/search-params";
import { FREEZE_SCOPES } from "@/lib/domain/schedule-windows";
import { changeDetailSchema } from "./change-schemas";

// What /api/v1/schedule/conflicts and /api/v1/freezes take and answer.

/** The most configuration items one question may name (a change names at most as many). */
export const MAX_CONFLICT_CIS = 50;
/** The longest window one question may name. */
const MAX_WINDOW_DAYS = 366;
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

const INSTANT_MESSAGE = "Give an ISO 8601 instant with its offset, like 2026-12-24T22:00:00Z.";
const instantParam = z
  .string({ message: INSTANT_MESSAGE })
  .pipe(z.iso.datetime({ offset: true, message: INSTANT_MESSAGE }))
  .transform((s) => new Date(s))
  .refine((d) => d.getTime() >= EARLIEST && d.getTime() <= LATEST, "Give an instant between 1970 and 9999.");

const CI_MESSAGE = "Give configuration item ids (uuids), repeated (ci=…&ci=…) or separated by commas.";

/** GET /api/v1/schedule/conflicts: the CIs (repeated or comma-separated), the window, and the change's type. */
export const conflictQuerySchema = z
  .object({
    ci: z
      .union([z.string(), z.array(z.string())], { message: CI_MESSAGE })
      .transform((v) => [...new Set((Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim().toLowerCase()))])
      .pipe(
        z
          .array(z.string().refine(isUuid, CI_MESSAGE))
          .min(1, CI_MESSAGE)
          .max(MAX_CONFLICT_CIS, `Name at most ${MAX_CONFLICT_CIS} configuration items.`),
      )
      .describe("Configuration item ids: repeat the parameter or separate them with commas"),
    start: instantParam.describe("When the change would start (ISO 8601 instant)"),
    end: instantParam.describe("When it would end (ISO 8601 instant)"),
    type: optionalParam(z.enum(CHANGE_TYPES))
      .default("normal")
      .describe("The change's type: freezes treat emergency and major changes apart"),
  })
  .strict()
  .superRefine((q, ctx) => {
    // Runs even when a field failed: check only a window whose ends both parsed.
    if (!(q.start instanceof Date && q.end instanceof Date)) return;
    if (q.end.getTime() <= q.start.getTime())
      ctx.addIssue({ code: "custom", path: ["end"], message: "The window must end after it starts." });
    else if (q.end.getTime() - q.start.getTime() > MAX_WINDOW_DAYS * 86_400_000)
      ctx.addIssue({ code: "custom", path: ["end"], message: `Ask about a window of at most ${MAX_WINDOW_DAYS} days.` });
  });
export type ConflictQuery = z.infer<typeof conflictQuerySchema>;

const instant = z.iso.datetime();

export const conflictsSchema = z.object({
  window: z.object({ start: instant, end: instant }),
  type: z.enum(CHANGE_TYPES),
  /** Whether a conflict would stop the change being scheduled as it is. */
  blocked: z.boolean().describe("Whether any conflict blocks scheduling (severity block)"),
  conflicts: z.array(changeDetailSchema.shape.conflicts.element),
});

export const freezeListQuerySchema = z.object({}).strict();

export const freezeSchema = z.object({
  id: z.uuid(),
  start: instant,
  end: instant,
  reason: z.string(),
  scope: z.enum(FREEZE_SCOPES).describe("What it covers: every CI, the named environments, or CIs with the named tags"),
  environments: z.array(z.string()),
  tags: z.array(z.string()),
});

export const freezeListSchema = z.object({ items: z.array(freezeSchema) });

export type ConflictsResource = z.infer<typeof conflictsSchema>;
export type FreezeResource = z.infer<typeof freezeSchema>;
