import { apiRoute } from "@/lib/server/api/api-route";
import { listDeploymentRecords, reportDeployment } from "@/lib/server/api/endpoints/deployments";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listDeploymentRecords);
export const POST = apiRoute(reportDeployment);
