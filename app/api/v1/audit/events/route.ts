import { apiRoute } from "@/lib/server/api/api-route";
import { listAuditEvents } from "@/lib/server/api/endpoints/audit";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listAuditEvents);
