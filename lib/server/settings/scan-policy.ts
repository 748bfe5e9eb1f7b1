import "server-only";
import { parseStoredScanPolicy, type ScanPolicy } from "@/lib/domain/scan-policy";
import { db } from "../db/db";
import type { Tx } from "../db/transaction";

/** The app setting that holds the scan policy; absent means the default (domain/scan-policy.ts). */
export const SCAN_POLICY_SETTING = "scan_policy";

/** The configured scan policy, read inside a transaction when one is given. */
export async function loadScanPolicy(tx?: Tx): Promise<ScanPolicy> {
  const setting = await (tx ?? db()).appSetting.findUnique({ where: { key: SCAN_POLICY_SETTING }, select: { value: true } });
  return parseStoredScanPolicy(setting?.value ?? null);
}
