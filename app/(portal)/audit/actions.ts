"use server";

import { z } from "zod";
import { can } from "@/lib/domain/capabilities";
import { ok, refuse } from "@/lib/domain/result";
import { searchAction } from "@/lib/server/actions/search-action";
import { recordDenial } from "@/lib/server/audit/record-denial";
import type { Actor } from "@/lib/server/auth/current-actor";
import { searchHistoryCis, searchHistoryPeople } from "@/lib/server/history/search-history";

// The history filter's pickers search as the auditor types. Only those who may read the
// history may list its CIs and people; anyone else gets no choices, and the refusal is recorded.
const querySchema = z.string().max(100);
const REFUSAL = "Only auditors and admins can search the audit history.";

async function mayRead(actor: Actor | null): Promise<boolean> {
  if (!actor || actor.mustChangePassword) return false;
  if (can(actor.roles, "audit.read")) return true;
  await recordDenial(actor, "audit.history_search", REFUSAL);
  return false;
}

export const searchHistoryCisAction = searchAction({
  input: querySchema,
  run: async (actor, query) => ((await mayRead(actor)) ? ok(await searchHistoryCis(query)) : refuse(REFUSAL)),
});

export const searchHistoryPeopleAction = searchAction({
  input: querySchema,
  run: async (actor, query) => ((await mayRead(actor)) ? ok(await searchHistoryPeople(query)) : refuse(REFUSAL)),
});
