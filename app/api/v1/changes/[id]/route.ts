import { apiRoute } from "@/lib/server/api/api-route";
import { editChange, getChange } from "@/lib/server/api/endpoints/changes";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getChange);
export const PATCH = apiRoute(editChange);
