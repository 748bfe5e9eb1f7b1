// What a lifecycle action carries, as a page sends it: parsed before the change is locked.
import { z } from "zod";
import { CHANGE_ACTIONS } from "@/lib/domain/change-actions";
import { IMPLEMENTATION_OUTCOMES } from "@/lib/domain/implementation-outcomes";

export const TOO_LONG = "Use at most 10,000 characters.";
const text = z.string().trim().max(10_000, TOO_LONG).optional();
export const changeActionSchema = z.object({
  changeId: z.string().uuid("Unknown change."),
  version: z.coerce.number().int().positive().optional(),
  action: z.enum(CHANGE_ACTIONS, { message: "Unknown action." }),
  reason: text,
  outcome: z.enum(IMPLEMENTATION_OUTCOMES).optional(),
  outcomeNotes: text,
  rootCause: text,
  review: z
    .object({
      worksAsIntended: z.boolean(),
      securityControlsInPlace: z.boolean(),
      monitoringCovers: z.boolean(),
      documentationUpdated: z.boolean(),
      securityValidation: text,
      notes: text,
    })
    .optional(),
});
export type ChangeActionRequest = z.infer<typeof changeActionSchema>;
