import "server-only";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { newUserSchema } from "@/lib/domain/user-rules";
import type { Actor } from "../auth/current-actor";
import { hashPassword } from "../auth/password";
import { db } from "../db/db";
import { refuseUnlessAdmin } from "./admin-guard";

/** Creates a user who must choose a new password at first sign-in. */
export async function createUser(actor: Actor | null, input: unknown): Promise<Result<{ id: string }>> {
  const refused = refuseUnlessAdmin(actor);
  if (refused) return refused;
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { name, email, temporaryPassword, roles } = parsed.data;

  const taken = await db().user.findUnique({ where: { email }, select: { id: true } });
  if (taken) return refuse("Check the highlighted fields.", { email: "A user with this email address already exists." });

  const passwordHash = await hashPassword(temporaryPassword);
  try {
    const user = await db().user.create({
      data: {
        name,
        email,
        passwordHash,
        mustChangePassword: true,
        roles: { create: [...new Set(roles)].map((role) => ({ role, grantedById: actor!.id })) },
      },
      select: { id: true },
    });
    return ok(user);
  } catch (error) {
    // Two admins creating the same address at once: the unique index decides.
    if ((error as { code?: string }).code === "P2002") {
      return refuse("Check the highlighted fields.", { email: "A user with this email address already exists." });
    }
    throw error;
  }
}
