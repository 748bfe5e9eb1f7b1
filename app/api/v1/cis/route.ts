import { apiRoute } from "@/lib/server/api/api-route";
import { createCi, listCis } from "@/lib/server/api/endpoints/cis";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listCis);
export const POST = apiRoute(createCi);
