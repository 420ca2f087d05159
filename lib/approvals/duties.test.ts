import { describe, expect, it } from "vitest";
import { ROLES } from "../auth/roles";
import { BREAK_GLASS_ISSUER, findApproverRoleProblem, findDutyConflict } from "./duties";

const IDP = "https://idp.example/realms/sankofa";
const b = { id: "b@example.com", issuer: IDP, subject: "sub-b" };

describe("one person, one vote", () => {
  it("the break-glass account never approves, whoever asked", () => {
    expect(findDutyConflict(b, { id: "root@example.com", issuer: BREAK_GLASS_ISSUER, subject: "root@example.com", isBreakGlass: true })).toMatch(/break-glass/);
  });
  it("the same (issuer, subject) is the same person, whatever the email now", () => {
    expect(findDutyConflict(b, { id: "renamed@example.com", issuer: IDP, subject: "sub-b" })).toMatch(/you asked/);
  });
  it("the requester's email from another account is refused too (kept from before)", () => {
    expect(findDutyConflict(b, { id: "B@Example.com", issuer: "https://other", subject: "x" })).not.toBeNull();
  });
  it("another subject with another email decides", () => {
    expect(findDutyConflict(b, { id: "c@example.com", issuer: IDP, subject: "sub-c" })).toBeNull();
  });
  it("the billing mode needs finance; the rest needs an IT admin", () => {
    expect(findApproverRoleProblem("finance", { id: "c", roles: [ROLES.admin] })).toMatch(/finance/);
    expect(findApproverRoleProblem("finance", { id: "f", roles: [ROLES.finance] })).toBeNull();
    expect(findApproverRoleProblem("admin", { id: "f", roles: [ROLES.finance] })).toMatch(/IT admin/);
  });
});
