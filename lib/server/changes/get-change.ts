import "server-only";
import { db } from "../db/db";

/** Everything the change page shows, in one round trip per relation. */
export async function getChange(id: string) {
  return db().changeRequest.findUnique({
    where: { id },
    include: {
      requester: { select: { id: true, name: true, email: true } },
      implementer: { select: { id: true, name: true, email: true } },
      template: { select: { id: true, title: true, version: true, status: true, riskCeiling: true, cis: { select: { ciId: true } } } },
      cis: { select: { ciId: true, ci: { select: { id: true, name: true, environment: true, criticality: true, exposure: true } } }, orderBy: { ci: { name: "asc" } } },
      cves: { orderBy: { cveId: "asc" } },
      checklist: { orderBy: { key: "asc" }, include: { signedBy: { select: { name: true } } } },
      votes: { orderBy: { castAt: "asc" }, include: { voter: { select: { name: true } }, round: { select: { number: true } } } },
      comments: { orderBy: { createdAt: "asc" }, include: { author: { select: { name: true } } } },
      review: { include: { reviewedBy: { select: { name: true } } } },
      freezeException: { include: { requestedBy: { select: { name: true } }, managerApprover: { select: { name: true } }, securityApprover: { select: { name: true } } } },
    },
  });
}

export type ChangeDetail = NonNullable<Awaited<ReturnType<typeof getChange>>>;
