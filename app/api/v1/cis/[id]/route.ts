import { apiRoute } from "@/lib/server/api/api-route";
import { getCi, updateCi } from "@/lib/server/api/endpoints/cis";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getCi);
export const PATCH = apiRoute(updateCi);
