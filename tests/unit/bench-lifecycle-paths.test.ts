import { describe, expect, it } from "vitest";
import { CHANGE_TYPES } from "@/lib/domain/change-types";
import { canBeRejected, pathToClosed, withdrawableStates } from "../../scripts/bench/data/lifecycle-paths";

// The bench data's paths are read off the transition table; here they are checked against
// domain.md's Lifecycle, written out by hand.
describe("the bench data's lifecycle paths", () => {
  it("follow each type's path from draft to closed", () => {
    expect(Object.fromEntries(CHANGE_TYPES.map((type) => [type, pathToClosed(type)]))).toEqual({
      standard: ["draft", "scheduled", "implementing", "review", "closed"],
      normal: ["draft", "submitted", "assessment", "authorization", "scheduled", "implementing", "review", "closed"],
      major: ["draft", "submitted", "assessment", "authorization", "scheduled", "implementing", "review", "closed"],
      emergency: ["draft", "authorization", "implementing", "review", "closed"],
    });
  });

  it("withdraw a change only before implementation starts, and reject any but a standard change at authorization", () => {
    for (const type of CHANGE_TYPES) {
      const path = pathToClosed(type);
      expect(withdrawableStates(type), type).toEqual(path.slice(0, path.indexOf("implementing")));
    }
    expect(CHANGE_TYPES.filter(canBeRejected)).toEqual(["normal", "emergency", "major"]);
  });
});
