import "server-only";
import { FRAMEWORK_LABELS } from "@/lib/domain/change-flags";
import { listUsableTemplates } from "../templates/list-templates";

/** What the change form offers: the approved template versions and the regulated frameworks. */
export async function changeFormOptions() {
  return {
    templates: await listUsableTemplates(undefined, 100),
    frameworks: Object.entries(FRAMEWORK_LABELS).map(([tag, label]) => ({ tag, label })),
  };
}
