import { z } from "zod";
import { idNumberParam, optionalParam, parseSearchParams, timeCursorParam, uuidParam, type Params } from "./search-params";

// The query strings of the paged queues and lists that take only a cursor: the inbox
// (/notifications), the implementer's and security reviewer's work (/work, /security), the
// checkpoints (/audit/verify) and an exception report (/audit/reports/[slug]).

const inboxSchema = z.object({ after: timeCursorParam });
const workSchema = z.object({ after: uuidParam });
// The security review page pages its two lists apart: checklist items, and approvals awaiting a vote.
const securitySchema = z.object({ after: uuidParam, approvalsAfter: timeCursorParam });
const checkpointsSchema = z.object({ after: idNumberParam });
// A report's cursor is its text sort key, which PostgreSQL compares as text: no NUL.
const reportSchema = z.object({
  after: optionalParam(
    z
      .string()
      .max(400)
      .refine((s) => !s.includes("\u0000")),
  ),
});

export const parseInboxParams = (params: Params) => parseSearchParams(inboxSchema, params);
export const parseWorkQueueParams = (params: Params) => parseSearchParams(workSchema, params);
export const parseSecurityQueueParams = (params: Params) => parseSearchParams(securitySchema, params);
export const parseCheckpointListParams = (params: Params) => parseSearchParams(checkpointsSchema, params);
export const parseReportParams = (params: Params) => parseSearchParams(reportSchema, params);
