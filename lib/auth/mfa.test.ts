import { describe, expect, it } from "vitest";
import { applyMfaPolicy, DEFAULT_MFA_AMR_VALUES, findSecondFactor, parseValueList, type MfaPolicy } from "./mfa";
import { ROLES } from "./roles";

const policy: MfaPolicy = { isRequiredForAdmin: true, amrValues: DEFAULT_MFA_AMR_VALUES, acrValues: ["2", "gold"] };

describe("second-factor evidence", () => {
  it("accepts an OTP or hardware key in amr, and a configured acr level", () => {
    expect(findSecondFactor({ amr: ["pwd", "otp"] }, policy)).toBe("amr=otp");
    expect(findSecondFactor({ amr: ["hwk"] }, policy)).toBe("amr=hwk");
    expect(findSecondFactor({ acr: "gold", amr: ["pwd"] }, policy)).toBe("acr=gold");
  });

  it("does not count a password, a PIN, Keycloak's default acr or a malformed claim", () => {
    expect(findSecondFactor({ amr: ["pwd"] }, policy)).toBeNull();
    expect(findSecondFactor({ amr: ["pwd", "pin", "kba"], acr: "1" }, policy)).toBeNull();
    expect(findSecondFactor({ amr: "otp", acr: 2 }, policy)).toBeNull();
    expect(findSecondFactor({}, policy)).toBeNull();
  });

  it("reads the configured value lists", () => {
    expect(parseValueList(" otp, hwk ,,")).toEqual(["otp", "hwk"]);
    expect(parseValueList(undefined)).toEqual([]);
  });
});

describe("admin access without a second factor", () => {
  it("is cut to viewer with a notice that says why", () => {
    const out = applyMfaPolicy([ROLES.admin], null, policy);
    expect(out.roles).toEqual([ROLES.viewer]);
    expect(out.notice).toMatch(/second factor/);
  });

  it("keeps finance, which is not an IT role", () => {
    expect(applyMfaPolicy([ROLES.admin, ROLES.finance], null, policy).roles).toEqual([ROLES.finance, ROLES.viewer].sort());
  });

  it("stays admin with evidence, and when the policy is off", () => {
    expect(applyMfaPolicy([ROLES.admin], "amr=otp", policy)).toEqual({ roles: [ROLES.admin] });
    expect(applyMfaPolicy([ROLES.admin], null, { ...policy, isRequiredForAdmin: false })).toEqual({ roles: [ROLES.admin] });
  });

  it("leaves viewers and finance as they are", () => {
    expect(applyMfaPolicy([ROLES.viewer], null, policy)).toEqual({ roles: [ROLES.viewer] });
    expect(applyMfaPolicy([ROLES.finance], null, policy)).toEqual({ roles: [ROLES.finance] });
  });
});
