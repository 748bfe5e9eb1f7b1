import { apiRoute } from "@/lib/server/api/api-route";
import { checkDeploymentGate } from "@/lib/server/api/endpoints/deployments";

export const dynamic = "force-dynamic";

export const POST = apiRoute(checkDeploymentGate);
