import { apiRoute } from "@/lib/server/api/api-route";
import { getMe } from "@/lib/server/api/endpoints/me";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getMe);
