import { describe, expect, it } from "vitest";
import { formatAge, formatUtc } from "./format";

describe("formatUtc", () => {
  it("writes the instant in UTC with the zone, whatever the input form", () => {
    expect(formatUtc(new Date("2026-12-06T14:05:09.123Z"))).toBe("2026-12-06 14:05:09 UTC");
    expect(formatUtc("2026-12-06T15:05:09+01:00")).toBe("2026-12-06 14:05:09 UTC");
    expect(formatUtc(Date.UTC(2026, 11, 6, 14, 5, 9))).toBe("2026-12-06 14:05:09 UTC");
    expect(formatUtc("2026-12-06T14:05:09Z", "minute")).toBe("2026-12-06 14:05 UTC");
  });
  it("says plainly when there is no time, never 'Invalid Date' or 1970", () => {
    expect(formatUtc(null)).toBe("—");
    expect(formatUtc(undefined, "second", "never")).toBe("never");
    expect(formatUtc("")).toBe("—");
    expect(formatUtc("not a time")).toBe("—");
  });
});

describe("formatAge", () => {
  const now = Date.parse("2026-12-06T14:00:00Z");
  it("gives past and future ages in the unit that reads best", () => {
    expect(formatAge("2026-12-06T13:59:30Z", now)).toBe("30 s ago");
    expect(formatAge("2026-12-06T13:55:00Z", now)).toBe("5 min ago");
    expect(formatAge("2026-12-06T11:00:00Z", now)).toBe("3 h ago");
    expect(formatAge("2026-12-01T14:00:00Z", now)).toBe("5 d ago");
    expect(formatAge("2026-12-06T14:05:00Z", now)).toBe("in 5 min");
    expect(formatAge(null, now)).toBe("never");
  });
});
