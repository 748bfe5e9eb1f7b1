import { apiRoute } from "@/lib/server/api/api-route";
import { setCiDependencies } from "@/lib/server/api/endpoints/cis";

export const dynamic = "force-dynamic";

export const PUT = apiRoute(setCiDependencies);
