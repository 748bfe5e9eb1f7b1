import { z } from "zod";
import { FRAMEWORK_LABELS } from "./change-flags";
import { artifactListSchema } from "./release-artifacts";

// What a requester types into a change. Drafts are saved leniently; the submit guards of the
// lifecycle decide what must be complete before the change leaves draft.

/** The regulated-data frameworks a change can name, keyed as the checklist rules know them. */
export const FRAMEWORK_TAGS = Object.keys(FRAMEWORK_LABELS);

const CVE_LINE = /^(CVE-\d{4}-\d{4,})\s+(\d{1,2}(?:\.\d)?)(?:\s+(exploited|kev))?$/i;

export type CveInput = { cveId: string; cvssBaseScore: number; knownExploited: boolean };

/** "CVE-2026-12345 9.8 exploited", one per line; names the line that is wrong. */
export const cveLinesSchema = z.string().transform((text, ctx): CveInput[] => {
  const cves: CveInput[] = [];
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .forEach((line, index) => {
      if (!line) return;
      const m = CVE_LINE.exec(line);
      const score = m ? Number(m[2]) : NaN;
      if (!m || score > 10) {
        ctx.addIssue({
          code: "custom",
          message: `Line ${index + 1}: write "CVE-YYYY-NNNN score", e.g. "CVE-2026-1234 9.8 exploited" (score 0 to 10).`,
        });
        return;
      }
      cves.push({ cveId: m[1]!.toUpperCase(), cvssBaseScore: score, knownExploited: Boolean(m[3]) });
    });
  if (new Set(cves.map((c) => c.cveId)).size !== cves.length) ctx.addIssue({ code: "custom", message: "Each CVE once, please." });
  return cves;
});

const optionalDate = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (!v) return null;
    const date = new Date(v);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: "Enter a date and time." });
      return z.NEVER;
    }
    return date;
  });

const text = (max: number) => z.string().trim().max(max, `Use at most ${max} characters.`);

export const changeDraftSchema = z
  .object({
    type: z.enum(["standard", "normal", "emergency", "major"], { message: "Choose a change type." }),
    title: text(200).min(1, "Give the change a title."),
    description: text(20_000),
    justification: text(20_000),
    implementationPlan: text(50_000),
    backoutPlan: text(50_000),
    testPlan: text(50_000),
    /** The requester's own statement that the backout was rehearsed. */
    backoutTested: z.boolean(),
    /** Someone other than the requester records the backout test (the use case keeps who and when; the requester's is ignored). */
    backoutTestRecorded: z.boolean(),
    rollbackCriteria: text(20_000),
    replacesVersion: text(200),
    emergencyJustification: text(20_000),
    plannedStart: optionalDate,
    plannedEnd: optionalDate,
    templateId: z.union([z.literal(""), z.string().uuid("Choose a template.")]),
    ciIds: z.array(z.string().uuid()).max(50, "At most 50 configuration items per change."),
    newExternalInterface: z.boolean(),
    touchesAuth: z.boolean(),
    regulatedData: z.boolean(),
    frameworkTags: z.array(z.string().refine((tag) => FRAMEWORK_TAGS.includes(tag), "Unknown framework.")),
    infraProvisioning: z.boolean(),
    releaseArtifact: z.boolean(),
    artifacts: artifactListSchema,
    temporaryAccess: z.boolean(),
    accessExpiresAt: optionalDate,
    pipelineMovesChange: z.boolean(),
    cves: cveLinesSchema,
  })
  .superRefine((v, ctx) => {
    if (v.plannedStart && v.plannedEnd && v.plannedStart >= v.plannedEnd) {
      ctx.addIssue({ code: "custom", path: ["plannedEnd"], message: "The window must end after it starts." });
    }
    if (v.type === "standard" && !v.templateId)
      ctx.addIssue({ code: "custom", path: ["templateId"], message: "A standard change starts from an approved template." });
    if (v.regulatedData && v.frameworkTags.length === 0)
      ctx.addIssue({ code: "custom", path: ["frameworkTags"], message: "Name the regulation the data falls under." });
    if (v.artifacts.length > 0 && !v.releaseArtifact)
      ctx.addIssue({
        code: "custom",
        path: ["releaseArtifact"],
        message: "A change that lists artifacts deploys a release artifact: tick it.",
      });
    if (v.temporaryAccess && !v.accessExpiresAt)
      ctx.addIssue({ code: "custom", path: ["accessExpiresAt"], message: "Temporary access needs an expiry date." });
  });

export type ChangeDraftInput = z.infer<typeof changeDraftSchema>;

/**
 * A draft's optional parts left blank, as the form posts them when nothing is ticked or typed:
 * the seed, the bench and the tests spread it under what they fill in, so a field added to the
 * form is added once for all of them.
 */
export function blankDraftInput() {
  return {
    emergencyJustification: "",
    templateId: "",
    newExternalInterface: false,
    touchesAuth: false,
    regulatedData: false,
    frameworkTags: [] as string[],
    infraProvisioning: false,
    releaseArtifact: false,
    artifacts: [] as z.input<typeof artifactListSchema>,
    backoutTestRecorded: false,
    rollbackCriteria: "",
    replacesVersion: "",
    temporaryAccess: false,
    accessExpiresAt: "",
    pipelineMovesChange: false,
    cves: "",
  } satisfies Partial<z.input<typeof changeDraftSchema>>;
}
