import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "./query";

describe("parseSearchQuery", () => {
  it("reads an IPv4 and an IPv6 address canonically", () => {
    expect(parseSearchQuery(" 10.0.48.7 ")).toMatchObject({ ip: "10.0.48.7" });
    expect(parseSearchQuery("2001:DB8:0:0::7")).toMatchObject({ ip: "2001:db8::7" });
  });

  it("reads a network to its network address", () => {
    expect(parseSearchQuery("10.0.48.9/24").cidr).toBe("10.0.48.0/24");
    expect(parseSearchQuery("2001:db8::1/64").cidr).toBe("2001:db8::/64");
    expect(parseSearchQuery("10.0.48.9/40").cidr).toBeUndefined();
  });

  it("reads a MAC in each form, and the beginning of one", () => {
    for (const form of ["aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF", "aabb.ccdd.eeff", "AABBCCDDEEFF"]) {
      expect(parseSearchQuery(form)).toMatchObject({ mac: "aa:bb:cc:dd:ee:ff" });
    }
    expect(parseSearchQuery("AA:BB:CC").macPrefix).toBe("aa:bb:cc");
  });

  it("reads a switch and a port", () => {
    expect(parseSearchQuery("sw1 ge-0/0/4").switchPort).toEqual({ switchName: "sw1", interface: "ge-0/0/4" });
    expect(parseSearchQuery("core-a:ae0").switchPort).toEqual({ switchName: "core-a", interface: "ae0" });
    expect(parseSearchQuery("ge-0/0/4").interface).toBe("ge-0/0/4");
  });

  it("keeps every reading of a number", () => {
    expect(parseSearchQuery("4021")).toEqual({ text: "4021", number: 4021, invoiceNumber: 4021, licenceNumber: 4021 });
  });

  it("reads an invoice or licence number as the billing pages show it", () => {
    for (const form of ["#42", "invoice 42", "Invoice #42", "INV-42", "inv42"]) {
      expect(parseSearchQuery(form), form).toMatchObject({ invoiceNumber: 42 });
      expect(parseSearchQuery(form).licenceNumber, form).toBeUndefined();
      expect(parseSearchQuery(form).number, form).toBeUndefined();
    }
    for (const form of ["licence 12", "License #12", "LIC-12"]) {
      expect(parseSearchQuery(form), form).toMatchObject({ licenceNumber: 12 });
      expect(parseSearchQuery(form).invoiceNumber, form).toBeUndefined();
    }
    expect(parseSearchQuery("#42").licenceNumber).toBeUndefined();
    expect(parseSearchQuery("invoices").invoiceNumber).toBeUndefined();
  });

  it("reads a name as text only", () => {
    expect(parseSearchQuery("web  shop")).toEqual({ text: "web shop" });
  });
});
