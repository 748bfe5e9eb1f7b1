import "server-only";
import { db } from "../db/db";

/** Active users who hold the implementer role, for the assignment picker. */
export function listImplementers(): Promise<{ id: string; name: string }[]> {
  return db().user.findMany({
    where: { active: true, roles: { some: { role: "implementer" } } },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
    take: 500,
  });
}
