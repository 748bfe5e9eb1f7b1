import { apiRoute } from "@/lib/server/api/api-route";
import { assignChangeImplementer } from "@/lib/server/api/endpoints/change-steps";

export const dynamic = "force-dynamic";

export const PUT = apiRoute(assignChangeImplementer);
