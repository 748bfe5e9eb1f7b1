"use server";

import { z } from "zod";
import { can } from "@/lib/domain/capabilities";
import { recordDenial } from "@/lib/server/audit/record-denial";
import { currentActor } from "@/lib/server/auth/current-actor";
import { searchHistoryCis, searchHistoryPeople, type FilterChoice } from "@/lib/server/history/search-history";

// The history filter's pickers search as the auditor types. Only those who may read the
// history may list its CIs and people; anyone else gets no choices, and the refusal is recorded.
const querySchema = z.string().max(100);

async function mayRead(): Promise<boolean> {
  const actor = await currentActor();
  if (!actor || actor.mustChangePassword) return false;
  if (can(actor.roles, "audit.read")) return true;
  await recordDenial(actor, "audit.history_search", "Only auditors and admins can search the audit history.");
  return false;
}

export async function searchHistoryCisAction(query: unknown): Promise<FilterChoice[]> {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success || !(await mayRead())) return [];
  return searchHistoryCis(parsed.data);
}

export async function searchHistoryPeopleAction(query: unknown): Promise<FilterChoice[]> {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success || !(await mayRead())) return [];
  return searchHistoryPeople(parsed.data);
}
