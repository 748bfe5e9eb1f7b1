import { receiveDemoWebhook } from "@/lib/server/webhooks/demo-receiver";

/** The demo's webhook receiver (lib/server/webhooks/demo-receiver.ts): 404 unless `npm start` runs the demo. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const receipt = await receiveDemoWebhook(id, request.headers, await request.text());
  if (receipt.status === 204) return new Response(null, { status: 204 });
  return Response.json({ error: receipt.message }, { status: receipt.status, headers: { "Cache-Control": "no-store" } });
}
