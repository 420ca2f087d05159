import { describe, expect, it } from "vitest";
import { describeEventError, eventDedupeKey, portSecurityEventSchema } from "./event";

const parse = (body: unknown) => {
  const r = portSecurityEventSchema.safeParse(body);
  return r.success ? r.data : describeEventError(r.error);
};

describe("port-security event body", () => {
  it("accepts Tenantos's shapes, numeric strings included, canonical IP", () => {
    expect(parse({ action: "ip_assigned", serverId: "7", ip: "10.0.48.6" })).toEqual({ action: "ip_assigned", serverId: 7, ip: "10.0.48.6" });
    expect(parse({ action: "server_deleted", serverId: 7 })).toEqual({ action: "server_deleted", serverId: 7 });
    expect(eventDedupeKey({ action: "ip_removed", serverId: 7, ip: "2001:db8::1" })).toBe("ip_removed|7|2001:db8::1");
  });
  it.each([
    [{ action: "ip_moved", serverId: 7, ip: "10.0.0.1" }, "action"],
    [{ action: "ip_assigned", serverId: "7a", ip: "10.0.0.1" }, "serverId"],
    [{ action: "ip_assigned", serverId: -1, ip: "10.0.0.1" }, "serverId"],
    [{ action: "ip_assigned", serverId: 7, ip: "10.0.0.1; reboot" }, "ip"],
    [{ action: "ip_assigned", serverId: 7 }, "ip is required"],
  ])("refuses %j naming the field", (body, field) => {
    expect(parse(body)).toEqual(expect.stringContaining(field));
  });
});
