import { apiRoute } from "@/lib/server/api/api-route";
import { listComments, postComment } from "@/lib/server/api/endpoints/change-steps";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listComments);
export const POST = apiRoute(postComment);
