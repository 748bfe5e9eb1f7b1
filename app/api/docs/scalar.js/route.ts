import { scalarBundleResponse } from "@/lib/server/api-docs/scalar-bundle";

export function GET(request: Request): Response {
  return scalarBundleResponse(request);
}
