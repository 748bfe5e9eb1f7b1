/** How reachable a configuration item is, most exposed first. */
export const EXPOSURES = ["internet_facing", "internal", "isolated"] as const;

export type Exposure = (typeof EXPOSURES)[number];

export const EXPOSURE_LABELS = {
  internet_facing: "Internet-facing",
  internal: "Internal",
  isolated: "Isolated",
} as const satisfies Record<Exposure, string>;

export function isExposure(value: string): value is Exposure {
  return (EXPOSURES as readonly string[]).includes(value);
}
