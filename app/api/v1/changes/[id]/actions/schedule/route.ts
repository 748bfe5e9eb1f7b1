import { apiRoute } from "@/lib/server/api/api-route";
import { scheduleChange } from "@/lib/server/api/endpoints/change-steps";

export const dynamic = "force-dynamic";

export const POST = apiRoute(scheduleChange);
