import "server-only";
import { z } from "zod";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { ROLE_LABELS, ROLES } from "@/lib/domain/roles";
import { LAST_ADMIN_MESSAGE, removesLastAdmin } from "@/lib/domain/user-rules";
import type { Actor } from "../auth/current-actor";
import { db } from "../db/db";
import { lockedActiveAdminIds } from "./active-admins";
import { refuseUnlessAdmin } from "./admin-guard";

const schema = z.object({
  userId: z.string().uuid("Unknown user."),
  role: z.enum(ROLES, { message: "Unknown role." }),
  grant: z.boolean(),
});

/** Grants or removes one role; takes effect at the user's next request. */
export async function changeUserRole(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = refuseUnlessAdmin(actor);
  if (refused) return refused;
  const parsed = schema.safeParse(input);
  if (!parsed.success) return refuse("That request was not understood.", fieldErrorsOf(parsed.error.issues));
  const { userId, role, grant } = parsed.data;
  const label = ROLE_LABELS[role];

  return db().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { name: true } });
    if (!user) return refuse("That user no longer exists.");
    if (grant) {
      await tx.userRole.upsert({
        where: { userId_role: { userId, role } },
        create: { userId, role, grantedById: actor!.id },
        update: {},
      });
      return ok({ message: `${user.name} is now ${label}.` });
    }
    if (role === "admin" && removesLastAdmin(await lockedActiveAdminIds(tx), userId)) return refuse(LAST_ADMIN_MESSAGE);
    await tx.userRole.deleteMany({ where: { userId, role } });
    return ok({ message: `${user.name} is no longer ${label}.` });
  });
}
