import "server-only";
import type { Tx } from "../db/transaction";
import { enqueueMails } from "../deliveries/enqueue-mails";
import type { BreakGlassNotifier } from "../auth/authenticate";

/** Tells every other active admin, in the sign-in's transaction, that a break-glass password sign-in happened. */
export const notifyBreakGlassSignIn: BreakGlassNotifier = async (tx: Tx, who, address) => {
  const admins = await tx.user.findMany({
    where: { active: true, kind: "user", id: { not: who.id }, roles: { some: { role: "admin" } } },
    select: { id: true },
  });
  if (admins.length === 0) return;
  const message = `${who.email} signed in with a password from ${address} while password sign-in is turned off (break-glass). If this was not expected, end their sessions and find out why.`;
  const created = await tx.notification.createManyAndReturn({
    data: admins.map((a) => ({ userId: a.id, kind: "break_glass_sign_in", message })),
    select: { id: true, userId: true, kind: true, changeId: true, message: true },
  });
  await enqueueMails(tx, created);
};
