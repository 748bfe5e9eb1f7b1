import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { can } from "@/lib/domain/capabilities";
import { currentActor } from "@/lib/server/auth/current-actor";
import { searchCis } from "@/lib/server/cis/search-cis";

const query = z.object({ q: z.string().trim().max(100).default(""), limit: z.coerce.number().int().min(1).max(50).default(10) });

/** The CI picker's search: signed-in users who file changes or manage configuration. */
export async function GET(request: NextRequest) {
  const actor = await currentActor();
  if (!actor) return NextResponse.json({ error: "Sign in first." }, { status: 401 });
  if (!can(actor.roles, "change.request") && !can(actor.roles, "config.manage")) {
    return NextResponse.json({ error: "Your roles do not include searching configuration items." }, { status: 403 });
  }
  const parsed = query.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) return NextResponse.json({ error: "Search with ?q=text (at most 100 characters)." }, { status: 400 });
  return NextResponse.json({ items: await searchCis(parsed.data.q, parsed.data.limit) });
}
