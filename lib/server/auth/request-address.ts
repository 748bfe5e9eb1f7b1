import "server-only";
import { headers } from "next/headers";
import { clientAddress } from "./authenticate";

/** The client address of the current request, or null outside one (scripts, tests). */
export async function requestAddress(): Promise<string | null> {
  try {
    return clientAddress(Object.fromEntries(await headers()));
  } catch {
    return null;
  }
}
