import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCronSchedule } from "./cron";
import { defaultSettings, parseSettingsForm, readSettings } from "./schema";
import { isVlanAllowed, parseVlanAllowlist } from "./vlan-allowlist";

describe("parseVlanAllowlist", () => {
  it("parses, sorts and de-duplicates comma-separated IDs", () => {
    expect(parseVlanAllowlist(" 200, 13,14 ,13")).toEqual([13, 14, 200]);
  });

  it("treats empty as every VLAN", () => {
    expect(parseVlanAllowlist("  ")).toEqual([]);
    expect(isVlanAllowed([], 999)).toBe(true);
    expect(isVlanAllowed([13], 999)).toBe(false);
  });

  it.each([
    ["13, abc", '"abc" is not a VLAN ID'],
    ["13,,14", '"" is not a VLAN ID'],
    ["0", '"0" is out of range'],
    ["4095", '"4095" is out of range'],
    ["12.5", '"12.5" is not a VLAN ID'],
    ["-3", '"-3" is not a VLAN ID'],
  ])("rejects %j naming the bad token", (input, message) => {
    expect(() => parseVlanAllowlist(input)).toThrow(message);
  });

  it("accepts every ID in 1–4094 and round-trips any list", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4094 })), (ids) => {
        expect(parseVlanAllowlist(ids.join(","))).toEqual([...new Set(ids)].sort((a, b) => a - b));
      }),
    );
  });
});

describe("parseCronSchedule", () => {
  it("accepts five-field expressions and normalises spacing", () => {
    expect(parseCronSchedule(" 0  3 * * 1-5 ")).toBe("0 3 * * 1-5");
  });
  it.each([
    ["", "must have 5 fields"],
    ["0 0 3 * * *", "must have 5 fields"],
    ["61 * * * *", "not a valid cron expression"],
    ["* * * * banana", "not a valid cron expression"],
  ])("rejects %j", (input, message) => {
    expect(() => parseCronSchedule(input)).toThrow(message);
  });
});

describe("settings form and stored rows", () => {
  it("parses only the fields sent", () => {
    expect(parseSettingsForm({ vlanAllowlist: "13" })).toEqual({ vlanAllowlist: [13] });
  });
  it("reads the inventory schedule (weekly by default), naming it when wrong", () => {
    expect(defaultSettings.inventorySchedule).toBe("0 4 * * 1");
    expect(parseSettingsForm({ inventorySchedule: " 30 5 * * 0 " })).toEqual({ inventorySchedule: "30 5 * * 0" });
    expect(() => parseSettingsForm({ inventorySchedule: "0 4 * *" })).toThrow(
      expect.objectContaining({ field: "inventorySchedule", message: expect.stringMatching(/^Inventory schedule: "0 4 \* \*" must have 5 fields/) }),
    );
  });
  it("drift auto-repair is off by default; the form turns it on and off", () => {
    expect(defaultSettings.isDriftAutoRepairOn).toBe(false);
    expect(parseSettingsForm({ isDriftAutoRepairOn: "on" })).toEqual({ isDriftAutoRepairOn: true });
    expect(parseSettingsForm({ isDriftAutoRepairOn: "off" })).toEqual({ isDriftAutoRepairOn: false });
    expect(readSettings([{ key: "isDriftAutoRepairOn", value: "yes" }]).isDriftAutoRepairOn).toBe(false);
  });
  it("falls back to defaults for missing or corrupt rows", () => {
    expect(readSettings([])).toEqual(defaultSettings);
    expect(readSettings([{ key: "vlanAllowlist", value: [13] }])).toEqual({ ...defaultSettings, vlanAllowlist: [13] });
    expect(
      readSettings([
        { key: "vlanAllowlist", value: "junk" },
        { key: "backupSchedule", value: "0 4 * * *" },
      ]),
    ).toEqual({
      ...defaultSettings,
      backupSchedule: "0 4 * * *",
    });
  });
});

describe("isCronDue and retention", () => {
  it("fires exactly in the scheduled minute", async () => {
    const { isCronDue } = await import("./cron");
    expect(isCronDue("0 3 * * *", new Date("2026-11-22T03:00:40Z"))).toBe(true);
    expect(isCronDue("0 3 * * *", new Date("2026-11-22T03:01:00Z"))).toBe(false);
    expect(isCronDue("*/15 * * * *", new Date("2026-11-22T10:45:00Z"))).toBe(true);
  });
  it("finds the last time a schedule fired (the demo's catch-up of last night's backup)", async () => {
    const { findLastCronRun, isCronDue } = await import("./cron");
    const last = findLastCronRun("0 3 * * *", new Date("2026-12-06T10:29:06Z"));
    expect(last.toISOString()).toBe("2026-12-06T03:00:00.000Z");
    expect(isCronDue("0 3 * * *", last)).toBe(true);
    expect(findLastCronRun("0 3 * * *", new Date("2026-12-06T02:59:59Z")).toISOString()).toBe("2026-12-05T03:00:00.000Z");
    expect(findLastCronRun("0 3 * * *", new Date("2026-12-06T03:00:00Z")).toISOString()).toBe("2026-12-06T03:00:00.000Z");
  });
  it("reads the job history retention as 1–3650 days (default 30)", () => {
    expect(defaultSettings.jobRunRetentionDays).toBe(30);
    expect(parseSettingsForm({ jobRunRetentionDays: "14" })).toEqual({ jobRunRetentionDays: 14 });
    expect(() => parseSettingsForm({ jobRunRetentionDays: "0" })).toThrow("Job history retention");
  });
  it("refuses a retention that is not 1–3650 days, naming it", () => {
    expect(parseSettingsForm({ backupRetentionDays: "30" })).toEqual({ backupRetentionDays: 30 });
    expect(() => parseSettingsForm({ backupRetentionDays: "0" })).toThrow('"0" is not a number of days');
    expect(() => parseSettingsForm({ backupRetentionDays: "1e3" })).toThrow('"1e3"');
  });

  it("keeps the address history 400 days unless an admin says otherwise (30 at least)", () => {
    expect(defaultSettings.timelineRetentionDays).toBe(400);
    expect(parseSettingsForm({ timelineRetentionDays: "730" })).toEqual({ timelineRetentionDays: 730 });
    expect(() => parseSettingsForm({ timelineRetentionDays: "7" })).toThrow("Address history retention");
  });
});
