import { apiRoute } from "@/lib/server/api/api-route";
import { closeChange } from "@/lib/server/api/endpoints/change-steps";

export const dynamic = "force-dynamic";

export const POST = apiRoute(closeChange);
