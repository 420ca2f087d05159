import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDescription } from "../junos/values";
import { buildServerPortDescription } from "./description";

describe("server port description", () => {
  it("names the server by id and name", () => {
    expect(buildServerPortDescription({ id: 202, name: "dedi-202" })).toBe("srv-202-dedi-202");
    expect(buildServerPortDescription({ id: 7, name: 'Kunde "Müller"; delete interfaces' })).toBe("srv-7-Kunde-Muller-delete-interfaces");
    expect(buildServerPortDescription({ id: 8, name: "  " })).toBe("srv-8");
  });

  it("is always one plain token of at most 64 characters, whatever the panel sends", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.string({ maxLength: 300 }), (id, name) => {
        const d = buildServerPortDescription({ id, name });
        expect(parseDescription(d)).toBe(d);
        expect(d.startsWith(`srv-${id}`)).toBe(true);
      }),
    );
  });
});
