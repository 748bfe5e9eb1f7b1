import "server-only";
import { ok, refuseAs, type Result } from "@/lib/domain/result";
import type { Actor } from "../auth/current-actor";
import { createCi } from "../cis/create-ci";
import { refuseUnlessConfigManager } from "../cis/config-guard";
import { getCi, type CiDetail } from "../cis/get-ci";
import { listCis } from "../cis/list-cis";
import { setCiDependencies } from "../cis/set-ci-dependencies";
import { updateCi } from "../cis/update-ci";
import { encodeKeyCursor } from "./api-cursor";
import { pageRead } from "./api-pages";
import { CI_CURSOR, type CiDetailResource, type CiListItem, type CiListQuery } from "./cmdb-schemas";

// The API's configuration items: the CI pages' reads and the configuration form's use cases, so
// a refusal (role, validation, a stale edit, a dependency loop) reads as it does on the page.

// The words of the configuration use cases' own refusal (config-guard.ts), for the reads' 403.
const CONFIG_ONLY = "Only an admin can manage configuration items and templates.";
const NO_SUCH_CI = "There is no such configuration item.";

/** One page of CIs by name, as the CI list filters them; config managers only. */
export async function listCisForApi(actor: Actor, query: CiListQuery): Promise<Result<{ items: CiListItem[]; nextCursor: string | null }>> {
  const read = await pageRead(() => listCis(actor, { query: query.q, after: query.cursor, limit: query.limit }), CONFIG_ONLY);
  if (!read.ok) return read;
  const { rows, nextCursor } = read.value;
  return ok({ items: rows, nextCursor: nextCursor === null ? null : encodeKeyCursor(CI_CURSOR, nextCursor) });
}

function ciResource(ci: CiDetail): CiDetailResource {
  return {
    id: ci.id,
    name: ci.name,
    type: ci.type,
    environment: ci.environment,
    owner: ci.owner,
    criticality: ci.criticality,
    exposure: ci.exposure,
    tags: ci.tags,
    createdAt: ci.createdAt.toISOString(),
    updatedAt: ci.updatedAt.toISOString(),
    dependsOn: ci.dependsOn,
    dependents: ci.dependents,
    maintenanceWindows: ci.maintenanceWindows,
  };
}

/** One CI with its dependencies both ways and its maintenance windows, as its page shows it. */
export async function getCiForApi(actor: Actor, input: { id: string }): Promise<Result<CiDetailResource>> {
  const read = await pageRead(() => getCi(actor, input.id), CONFIG_ONLY);
  if (!read.ok) return read;
  return read.value ? ok(ciResource(read.value)) : refuseAs("not_found", NO_SUCH_CI);
}

/** Creates a CI through the configuration form's use case; answers it as GET /cis/{id} would. */
export async function createCiForApi(actor: Actor, input: { tags: string[] } & Record<string, unknown>): Promise<Result<CiDetailResource>> {
  const created = await createCi(actor, { ...input, tags: input.tags.join(" ") });
  if (!created.ok) return created;
  return getCiForApi(actor, created.value);
}

/**
 * The CI as it is now, for a write that names only some of its fields: refused first as the
 * use case refuses (the same guard, recorded the same way), so a caller without the role learns
 * nothing of the item.
 */
async function currentCi(actor: Actor, id: string, what: string): Promise<Result<CiDetail>> {
  const refused = await refuseUnlessConfigManager(actor, what);
  if (refused) return refused;
  const ci = await getCi(actor, id);
  return ci ? ok(ci) : refuseAs("not_found", NO_SUCH_CI);
}

type CiUpdate = { id: string; updatedAt?: string; tags?: string[] } & Record<string, unknown>;

/** Changes the fields given through the edit form's use case (compare-and-set on updatedAt). */
export async function updateCiForApi(actor: Actor, input: CiUpdate): Promise<Result<CiDetailResource>> {
  const current = await currentCi(actor, input.id, "cis.update");
  if (!current.ok) return current;
  const ci = current.value;
  const { tags, updatedAt, ...fields } = input;
  const edit = {
    name: ci.name,
    type: ci.type,
    environment: ci.environment,
    owner: ci.owner,
    criticality: ci.criticality,
    exposure: ci.exposure,
    ...fields,
    tags: (tags ?? ci.tags).join(" "),
    id: ci.id,
    updatedAt: updatedAt ?? ci.updatedAt.toISOString(),
  };
  const written = await updateCi(actor, edit);
  if (!written.ok) return written;
  return getCiForApi(actor, { id: ci.id });
}

/** Replaces what the CI depends on through the dependencies form's use case (a loop is refused). */
export async function setCiDependenciesForApi(
  actor: Actor,
  input: { id: string; dependsOnIds: string[]; updatedAt?: string },
): Promise<Result<CiDetailResource>> {
  const current = await currentCi(actor, input.id, "cis.dependencies");
  if (!current.ok) return current;
  const ci = current.value;
  const written = await setCiDependencies(actor, {
    id: ci.id,
    dependsOnIds: input.dependsOnIds,
    updatedAt: input.updatedAt ?? ci.updatedAt.toISOString(),
  });
  if (!written.ok) return written;
  return getCiForApi(actor, { id: ci.id });
}
