import { z } from "zod";
import { ROLES } from "./roles";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

export const newUserSchema = z.object({
  name: z.string().trim().min(1, "Enter the person's name.").max(200, "Use at most 200 characters."),
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(320),
  temporaryPassword: passwordSchema,
  roles: z.array(z.enum(ROLES)).min(1, "Choose at least one role."),
});
export type NewUser = z.infer<typeof newUserSchema>;

/** An admin may not remove the last active admin, by revoking the role or by deactivating them. */
export function removesLastAdmin(activeAdminIds: readonly string[], targetUserId: string): boolean {
  return activeAdminIds.length === 1 && activeAdminIds[0] === targetUserId;
}

export const LAST_ADMIN_MESSAGE = "This is the last active admin. Make someone else an admin first.";
