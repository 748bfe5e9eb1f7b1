import { z } from "zod";
import { parseTags } from "./ci-rules";
import { FREEZE_SCOPES } from "./schedule-windows";

const list = z
  .string()
  .default("")
  .transform(parseTags)
  .pipe(z.array(z.string().max(60, "Use at most 60 characters per name.")).max(20, "Name at most 20."));
const instant = (what: string) => z.iso.datetime({ message: `Enter the ${what}.` }).transform((s) => new Date(s));

/** A freeze window as an admin enters it; a scoped freeze names what it covers. */
export const freezeSchema = z
  .object({
    startsAt: instant("start"),
    endsAt: instant("end"),
    reason: z.string().trim().min(1, 'Say why changes are frozen, e.g. "Year-end trading peak".').max(500, "Use at most 500 characters."),
    scope: z.enum(FREEZE_SCOPES, { message: "Choose what the freeze covers." }),
    environments: list,
    tags: list,
  })
  .superRefine((f, ctx) => {
    if (f.endsAt <= f.startsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "The end must be after the start." });
    if (f.scope === "environments" && f.environments.length === 0)
      ctx.addIssue({ code: "custom", path: ["environments"], message: "Name at least one environment, e.g. production." });
    if (f.scope === "tags" && f.tags.length === 0)
      ctx.addIssue({ code: "custom", path: ["tags"], message: "Name at least one CI tag, e.g. pci." });
  })
  // Only the list the scope uses is kept, so a stored freeze says exactly what it covers.
  .transform((f) => ({ ...f, environments: f.scope === "environments" ? f.environments : [], tags: f.scope === "tags" ? f.tags : [] }));

export const freezeEditSchema = z.intersection(
  freezeSchema,
  z.object({ id: z.uuid("Unknown freeze window."), updatedAt: z.iso.datetime({ message: "Reload the page and try again." }) }),
);

export const STALE_FREEZE_MESSAGE = "This freeze window was changed or removed by someone else; reload to see it.";

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A weekly maintenance slot, entered as a weekday, a start time (UTC) and a length in hours. */
export const maintenanceWindowSchema = z.object({
  ciId: z.uuid("Unknown configuration item."),
  weekday: z.coerce.number({ message: "Choose a weekday." }).int().min(0, "Choose a weekday.").max(6, "Choose a weekday."),
  start: z
    .string()
    .regex(HHMM, "Enter the start as HH:MM (UTC), e.g. 22:00.")
    .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3))),
  hours: z.coerce
    .number({ message: "Enter the length in hours." })
    .min(0.25, "At least a quarter of an hour.")
    .max(168, "At most a week (168 hours)."),
});
