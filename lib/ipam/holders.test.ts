import { describe, expect, it } from "vitest";
import { describeHolders } from "./holders";

describe("describeHolders", () => {
  it("names each kind that holds the subject with its count and a few examples", () => {
    expect(
      describeHolders("VLAN 110", [
        { noun: ["prefix", "prefixes"], count: 2, examples: ["10.110.0.0/24", "10.110.1.0/24"] },
        { noun: ["address", "addresses"], count: 0, examples: [] },
        { noun: ["planned move", "planned moves"], count: 5, examples: ["a → 10.110.0.5", "b → 10.110.0.6", "c → 10.110.0.7"] },
      ]),
    ).toBe("VLAN 110 is in use: 2 prefixes (10.110.0.0/24, 10.110.1.0/24); 5 planned moves (a → 10.110.0.5, b → 10.110.0.6, c → 10.110.0.7, and 2 more)");
  });

  it("says nothing holds it when every count is zero", () => {
    expect(describeHolders("prefix 10.0.0.0/24", [{ noun: ["address", "addresses"], count: 0, examples: [] }])).toBeNull();
    expect(describeHolders("prefix 10.0.0.0/24", [{ noun: ["address", "addresses"], count: 1, examples: ["10.0.0.5"] }])).toBe(
      "prefix 10.0.0.0/24 is in use: 1 address (10.0.0.5)",
    );
  });
});
