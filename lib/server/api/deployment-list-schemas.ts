import "server-only";
import { z } from "zod";
import { DEPLOYMENT_STATUSES } from "@/lib/domain/deployment-status";
import { optionalParam } from "@/lib/domain/search-params";
import { deploymentSchema } from "../deployments/deployment-schemas";
import { keyCursorParam, limitParam, pageSchema } from "./api-pages";

// What GET /api/v1/deployments takes and answers.

const NAME_MESSAGE = "Give the configuration item's name (at most 200 characters, no control characters).";

export const DEPLOYMENT_CURSOR = "deployments";

/** GET /api/v1/deployments */
export const deploymentListQuerySchema = z
  .object({
    environment: optionalParam(
      z
        .string()
        .max(60)
        .regex(/^[a-z0-9][a-z0-9._-]*$/, "Give the environment in lower case."),
    ).describe("Only deployments to this environment"),
    ci: optionalParam(
      z
        .string()
        .max(200, NAME_MESSAGE)
        .regex(/^[^\p{Cc}]*$/u, NAME_MESSAGE),
    ).describe("Only deployments to the configuration item of this name"),
    status: optionalParam(z.enum(DEPLOYMENT_STATUSES)),
    authorized: optionalParam(z.enum(["true", "false"], { message: "Give true or false." }).transform((v) => v === "true")).describe(
      "Only authorized (true) or unauthorized (false) deployments",
    ),
    cursor: keyCursorParam(DEPLOYMENT_CURSOR),
    limit: limitParam,
  })
  .strict();
export type DeploymentListQuery = z.output<typeof deploymentListQuerySchema>;
export const deploymentListSchema = pageSchema(deploymentSchema);
