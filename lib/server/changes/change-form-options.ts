import "server-only";
import { FRAMEWORK_LABELS } from "@/lib/domain/change-flags";
import { db } from "../db/db";

/** What the change form offers: the approved template versions and the regulated frameworks. */
export async function changeFormOptions() {
  const templates = await db().changeTemplate.findMany({
    where: { status: "approved" },
    orderBy: [{ title: "asc" }, { version: "desc" }],
    select: { id: true, title: true, version: true },
  });
  return { templates, frameworks: Object.entries(FRAMEWORK_LABELS).map(([tag, label]) => ({ tag, label })) };
}
