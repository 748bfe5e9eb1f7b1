import "server-only";
import { z } from "zod";
import { ciSchema, MAX_DEPENDENCIES, MAX_TAGS } from "@/lib/domain/ci-rules";
import { EXPOSURES } from "@/lib/domain/exposure";
import { textParam } from "@/lib/domain/search-params";
import { keyCursorParam, limitParam, pageSchema } from "./api-pages";

// What /api/v1/cis takes and answers, in zod: the inputs the handlers validate with (the use
// cases then apply the configuration form's own rules and messages), and the outputs the OpenAPI
// document is generated from.

/** The cursor's list: a CI list cursor names the last CI's name. */
export const CI_CURSOR = "cis";

/** GET /api/v1/cis: the CI list page's search (name, environment or a whole tag), a cursor and a page size. */
export const ciListQuerySchema = z.object({ q: textParam(), cursor: keyCursorParam(CI_CURSOR), limit: limitParam }).strict();
export type CiListQuery = z.infer<typeof ciListQuerySchema>;

export const ciGetQuerySchema = z.object({ id: z.string() }).strict();

const tags = z
  .array(z.string().regex(/^[^\s,]+$/, "Give each tag as its own string, without spaces or commas."))
  .max(MAX_TAGS, `Use at most ${MAX_TAGS} tags.`);

const ciFields = {
  name: ciSchema.shape.name,
  type: ciSchema.shape.type,
  environment: ciSchema.shape.environment,
  owner: ciSchema.shape.owner,
  criticality: z.number().int().describe("1 (low) to 4 (mission critical)"),
  exposure: ciSchema.shape.exposure,
  tags,
};

const updatedAt = z.iso
  .datetime({ message: "Give the updatedAt a read of this item answered." })
  .describe(
    "The item's updatedAt as you read it: the write is refused (409) if it changed since. Without it, the write applies to the item as it is now.",
  );

/** POST /api/v1/cis: a new configuration item. */
export const ciCreateBodySchema = z.object({ ...ciFields, tags: tags.default([]) }).strict();

/** PATCH /api/v1/cis/{id}: the fields to change; the others keep their values. */
export const ciUpdateBodySchema = z
  .object({ id: z.string(), ...z.object(ciFields).partial().shape, updatedAt: updatedAt.optional() })
  .strict();

/** PUT /api/v1/cis/{id}/dependencies: the whole set of CIs this one depends on. */
export const ciDependenciesBodySchema = z
  .object({
    id: z.string(),
    dependsOnIds: z.array(z.string()).max(MAX_DEPENDENCIES, `A configuration item can depend on at most ${MAX_DEPENDENCIES} others.`),
    updatedAt: updatedAt.optional(),
  })
  .strict();

const instant = z.iso.datetime();
const ciLink = z.object({
  id: z.uuid(),
  name: z.string(),
  environment: z.string(),
  criticality: z.number().int(),
  exposure: z.enum(EXPOSURES),
});

export const ciListItemSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.string(),
  environment: z.string(),
  owner: z.string(),
  criticality: z.number().int(),
  exposure: z.enum(EXPOSURES),
  tags: z.array(z.string()),
});

export const ciListSchema = pageSchema(ciListItemSchema);

export const ciDetailSchema = ciListItemSchema.extend({
  createdAt: instant,
  updatedAt: instant.describe("Pass back as updatedAt to refuse a write over someone else's"),
  dependsOn: z.array(ciLink).describe("What this item depends on"),
  dependents: z.array(ciLink).describe("What depends on this item directly (the first 200 by name)"),
  maintenanceWindows: z.array(
    z.object({
      id: z.uuid(),
      weekday: z.number().int().describe("0 Sunday to 6 Saturday, UTC"),
      startMinute: z.number().int().describe("Minutes after midnight UTC"),
      durationMinutes: z.number().int(),
    }),
  ),
});

export type CiListItem = z.infer<typeof ciListItemSchema>;
export type CiDetailResource = z.infer<typeof ciDetailSchema>;
