import { apiRoute } from "@/lib/server/api/api-route";
import { scheduleConflicts } from "@/lib/server/api/endpoints/schedule";

export const dynamic = "force-dynamic";

export const GET = apiRoute(scheduleConflicts);
