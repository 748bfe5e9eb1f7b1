import { apiRoute } from "@/lib/server/api/api-route";
import { requestAuthorization } from "@/lib/server/api/endpoints/change-steps";

export const dynamic = "force-dynamic";

export const POST = apiRoute(requestAuthorization);
