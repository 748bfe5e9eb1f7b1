import "server-only";
import type { Prisma } from "../db/generated/client";
import { db } from "../db/db";

// Everything a change's panels show but its comments, which the change page reads a page at a time.
const PAGE_INCLUDE = {
  requester: { select: { id: true, name: true, email: true } },
  implementer: { select: { id: true, name: true, email: true } },
  template: { select: { id: true, title: true, version: true, status: true, riskCeiling: true, cis: { select: { ciId: true } } } },
  cis: {
    select: { ciId: true, ci: { select: { id: true, name: true, environment: true, criticality: true, exposure: true } } },
    orderBy: { ci: { name: "asc" } },
  },
  cves: { orderBy: { cveId: "asc" } },
  checklist: { orderBy: { key: "asc" }, include: { signedBy: { select: { name: true } } } },
  votes: { orderBy: { castAt: "asc" }, include: { voter: { select: { name: true } }, round: { select: { number: true } } } },
  review: { include: { reviewedBy: { select: { name: true } } } },
  freezeException: {
    include: {
      requestedBy: { select: { name: true } },
      managerApprover: { select: { name: true } },
      securityApprover: { select: { name: true } },
    },
  },
} satisfies Prisma.ChangeRequestInclude;

/** The change page: the change and its panels' relations in one statement (relationJoins), comments apart. */
export async function getChangeForPage(id: string) {
  return db().changeRequest.findUnique({ where: { id }, include: PAGE_INCLUDE });
}

/** Everything about a change, every comment included (the edit page, the auditor's evidence record). */
export async function getChange(id: string) {
  return db().changeRequest.findUnique({
    where: { id },
    include: { ...PAGE_INCLUDE, comments: { orderBy: { createdAt: "asc" }, include: { author: { select: { name: true } } } } },
  });
}

/** What the change page's panels read; a full ChangeDetail is one too. */
export type ChangePageDetail = NonNullable<Awaited<ReturnType<typeof getChangeForPage>>>;
export type ChangeDetail = NonNullable<Awaited<ReturnType<typeof getChange>>>;
