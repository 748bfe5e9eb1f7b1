import { apiRoute } from "@/lib/server/api/api-route";
import { listChanges } from "@/lib/server/api/endpoints/changes";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listChanges);
