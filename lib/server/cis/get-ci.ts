import "server-only";
import { isUuid } from "@/lib/domain/is-uuid";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { db } from "../db/db";
import type { CiRow } from "./list-cis";
import type { CiOption } from "./search-cis";

export type CiDetail = CiRow & {
  updatedAt: Date;
  createdAt: Date;
  dependsOn: CiOption[];
  dependents: CiOption[];
  maintenanceWindows: { id: string; weekday: number; startMinute: number; durationMinutes: number }[];
};

const OPTION = { select: { id: true, name: true, environment: true, criticality: true, exposure: true } } as const;

/** One CI with what it depends on and what depends on it directly; null when there is none; config managers only (403). */
export async function getCi(viewer: Actor, id: string): Promise<CiDetail | null> {
  await refuseReadUnlessCan(viewer, "config.manage");
  if (!isUuid(id)) return null;
  const ci = await db().configurationItem.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      type: true,
      environment: true,
      owner: true,
      criticality: true,
      exposure: true,
      tags: true,
      createdAt: true,
      updatedAt: true,
      dependsOn: { select: { dependsOn: OPTION }, orderBy: { dependsOn: { name: "asc" } } },
      dependents: { select: { ci: OPTION }, orderBy: { ci: { name: "asc" } }, take: 200 },
      maintenanceWindows: {
        select: { id: true, weekday: true, startMinute: true, durationMinutes: true },
        orderBy: [{ weekday: "asc" }, { startMinute: "asc" }],
      },
    },
  });
  if (!ci) return null;
  return { ...ci, dependsOn: ci.dependsOn.map((d) => d.dependsOn), dependents: ci.dependents.map((d) => d.ci) };
}
