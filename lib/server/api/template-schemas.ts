import "server-only";
import { z } from "zod";
import { EXPOSURES } from "@/lib/domain/exposure";
import { RISK_LEVELS } from "@/lib/domain/risk-levels";
import { optionalParam, textParam } from "@/lib/domain/search-params";
import { TEMPLATE_STATUSES } from "@/lib/domain/template-rules";
import { decodeApiCursor } from "./api-cursor";
import { CURSOR_MESSAGE, limitParam, pageSchema } from "./api-pages";

// What /api/v1/templates takes and answers: the template list page's filters, and the outputs the
// OpenAPI document is generated from.

/** GET /api/v1/templates: the template list's search (title) and status, a cursor and a page size. */
export const templateListQuerySchema = z
  .object({
    q: textParam(),
    status: optionalParam(z.enum(TEMPLATE_STATUSES)),
    cursor: optionalParam(
      z.string().transform((text, ctx) => {
        const at = decodeApiCursor(text);
        if (at) return at;
        ctx.addIssue({ code: "custom", message: CURSOR_MESSAGE });
        return z.NEVER;
      }),
    ),
    limit: limitParam,
  })
  .strict();
export type TemplateListQuery = z.infer<typeof templateListQuerySchema>;

export const templateGetQuerySchema = z.object({ id: z.string() }).strict();

const instant = z.iso.datetime();
const person = z.object({ id: z.string(), name: z.string() });

export const templateListItemSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  version: z.number().int(),
  status: z.enum(TEMPLATE_STATUSES),
  riskCeiling: z.enum(RISK_LEVELS),
  createdAt: instant,
  proposedBy: z.object({ name: z.string() }),
  approvedBy: z.object({ name: z.string() }).nullable(),
  ciCount: z.number().int(),
});

export const templateListSchema = pageSchema(templateListItemSchema);

export const templateDetailSchema = z.object({
  id: z.uuid(),
  familyId: z.uuid().describe("Shared by every version of the template"),
  version: z.number().int(),
  status: z.enum(TEMPLATE_STATUSES).describe("Only an approved version can be used by a change"),
  title: z.string(),
  description: z.string(),
  implementationPlan: z.string(),
  backoutPlan: z.string(),
  testPlan: z.string(),
  riskCeiling: z.enum(RISK_LEVELS),
  createdAt: instant,
  approvedAt: instant.nullable(),
  retiredAt: instant.nullable(),
  proposedBy: person,
  approvedBy: person.nullable(),
  cis: z.array(
    z.object({ id: z.uuid(), name: z.string(), environment: z.string(), criticality: z.number().int(), exposure: z.enum(EXPOSURES) }),
  ),
  versions: z.array(z.object({ id: z.uuid(), version: z.number().int(), status: z.enum(TEMPLATE_STATUSES), createdAt: instant })),
});

export type TemplateListItem = z.infer<typeof templateListItemSchema>;
export type TemplateDetailResource = z.infer<typeof templateDetailSchema>;
