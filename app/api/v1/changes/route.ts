import { apiRoute } from "@/lib/server/api/api-route";
import { createChange, listChanges } from "@/lib/server/api/endpoints/changes";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listChanges);
export const POST = apiRoute(createChange);
