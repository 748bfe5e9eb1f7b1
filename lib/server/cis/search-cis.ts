import "server-only";
import type { Exposure } from "@/lib/domain/exposure";
import { db } from "../db/db";
import { ciSearchWhere } from "./list-cis";

export type CiOption = { id: string; name: string; environment: string; criticality: number; exposure: Exposure };

/** For CI pickers (dependencies, templates, the new-change form): the first matches by name. */
export async function searchCis(query: string, limit = 10): Promise<CiOption[]> {
  return db().configurationItem.findMany({
    where: ciSearchWhere(query),
    orderBy: { name: "asc" },
    take: Math.min(Math.max(Math.trunc(limit) || 10, 1), 50),
    select: { id: true, name: true, environment: true, criticality: true, exposure: true },
  });
}
