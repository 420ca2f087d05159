import { describe, expect, it } from "vitest";
import { findServedNames } from "./served-names";

describe("findServedNames", () => {
  it("takes the IPAM names under a zone NPM publishes, once, and leaves short and foreign names out", () => {
    const names = findServedNames(
      ["shop.demo.sankofa", "Shop.Demo.Sankofa ", "besu-rpc-1", "mail.other.example", "a.b.demo.sankofa", "api.example.org"],
      ["portal.demo.sankofa", "*.example.org"],
    );
    expect(names).toEqual(["shop.demo.sankofa", "api.example.org"]);
  });

  it("judges nothing when NPM publishes nothing", () => {
    expect(findServedNames(["shop.demo.sankofa"], [])).toEqual([]);
  });
});
