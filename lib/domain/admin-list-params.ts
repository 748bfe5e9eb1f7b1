import { z } from "zod";
import { TEMPLATE_STATUSES } from "./template-rules";
import { optionalParam, parseSearchParams, textParam, timeCursorParam, type Params } from "./search-params";

// The query strings of the admin lists: users, configuration items, templates, freeze windows,
// the dev mailbox, and the confirmations their detail pages show after a redirect.

/** A name or email cursor (the last row's sort key): text the column could hold (no NUL). */
const keyCursorParam = optionalParam(
  z
    .string()
    .max(320)
    .refine((s) => !s.includes("\u0000")),
);
const flag = optionalParam(z.string().max(20));

const usersSchema = z.object({ q: textParam(), after: keyCursorParam });
const cisSchema = z.object({ q: textParam(), after: keyCursorParam });
const templatesSchema = z.object({ q: textParam(), status: optionalParam(z.enum(TEMPLATE_STATUSES)), after: timeCursorParam });
const freezesSchema = z.object({ past: flag, after: timeCursorParam, created: flag, saved: flag, deleted: flag });
const mailboxSchema = z.object({ after: timeCursorParam });
const detailSchema = z.object({ created: flag, proposed: flag, saved: flag });

export type UserListParams = z.infer<typeof usersSchema>;
export type CiListParams = z.infer<typeof cisSchema>;
export type TemplateListParams = z.infer<typeof templatesSchema>;
export type FreezeListParams = z.infer<typeof freezesSchema>;
export type MailboxParams = z.infer<typeof mailboxSchema>;
export type AdminDetailParams = z.infer<typeof detailSchema>;

export const parseUserListParams = (params: Params): UserListParams => parseSearchParams(usersSchema, params);
export const parseCiListParams = (params: Params): CiListParams => parseSearchParams(cisSchema, params);
export const parseTemplateListParams = (params: Params): TemplateListParams => parseSearchParams(templatesSchema, params);
export const parseFreezeListParams = (params: Params): FreezeListParams => parseSearchParams(freezesSchema, params);
export const parseMailboxParams = (params: Params): MailboxParams => parseSearchParams(mailboxSchema, params);
export const parseAdminDetailParams = (params: Params): AdminDetailParams => parseSearchParams(detailSchema, params);
