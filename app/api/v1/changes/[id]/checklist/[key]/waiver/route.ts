import { apiRoute } from "@/lib/server/api/api-route";
import { waiveChecklistItem } from "@/lib/server/api/endpoints/change-steps";

export const dynamic = "force-dynamic";

export const POST = apiRoute(waiveChecklistItem);
