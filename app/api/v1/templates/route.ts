import { apiRoute } from "@/lib/server/api/api-route";
import { listTemplates } from "@/lib/server/api/endpoints/templates";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listTemplates);
