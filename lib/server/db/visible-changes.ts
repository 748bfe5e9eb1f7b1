import "server-only";
import { seesEveryChange, type ChangeViewer } from "@/lib/domain/change-visibility";
import { Prisma } from "./generated/client";

// documenso's getDocumentWhereInput: reads of changes narrow by the viewer here, so a page cannot forget.

/** The changes the viewer may open, as a Prisma filter (empty for those who see every change). */
export function visibleChangesWhere(viewer: ChangeViewer): Prisma.ChangeRequestWhereInput {
  return seesEveryChange(viewer.roles) ? {} : { OR: [{ requesterId: viewer.id }, { implementerId: viewer.id }] };
}

/** The same filter as an SQL condition on the change whose id is `changeId`, starting with AND (none for those who see every change). */
export function visibleChangesSql(viewer: ChangeViewer, changeId: Prisma.Sql = Prisma.sql`c.id`): Prisma.Sql {
  if (seesEveryChange(viewer.roles)) return Prisma.empty;
  return Prisma.sql`AND EXISTS (SELECT 1 FROM change_requests v WHERE v.id = ${changeId}
    AND (v.requester_id = ${viewer.id}::uuid OR v.implementer_id = ${viewer.id}::uuid))`;
}
