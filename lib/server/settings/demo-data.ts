import "server-only";
import { db } from "../db/db";

/** True while the demo data set is loaded; the sign-in page then lists the demo accounts. */
export async function isDemoDataLoaded(): Promise<boolean> {
  const setting = await db().appSetting.findUnique({ where: { key: "demo_data" }, select: { value: true } });
  return setting?.value === true;
}
