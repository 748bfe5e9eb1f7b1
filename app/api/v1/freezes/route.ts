import { apiRoute } from "@/lib/server/api/api-route";
import { listFreezes } from "@/lib/server/api/endpoints/schedule";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listFreezes);
