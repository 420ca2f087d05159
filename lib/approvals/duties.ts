import { ROLES } from "../auth/roles";

/**
 * Separation of duties: a second person, not a second session or account, decides. A person is
 * the identity provider's (issuer, subject): an email can be changed or shared at the IdP, so it
 * never makes two people the same or one person two. It still REFUSES on a match (an OIDC account
 * carrying the break-glass email is the same person as the break-glass account, as held before).
 */
export interface DutyIdentity {
  /** The audit identity (an email for people). */
  id: string;
  issuer?: string | null;
  subject?: string | null;
  isBreakGlass?: boolean;
  roles?: readonly string[];
}

/** The issuer recorded for the bootstrap admin from the environment (the break-glass account). */
export const BREAK_GLASS_ISSUER = "sankofa:break-glass";

/** Why `approver` may not decide a request of `requester`, or null when they may. */
export function findDutyConflict(requester: DutyIdentity, approver: DutyIdentity): string | null {
  if (approver.isBreakGlass || approver.issuer === BREAK_GLASS_ISSUER)
    return "the break-glass account can never approve: it is the way in when the identity provider is down, not a second person";
  if (requester.issuer && requester.subject && approver.issuer === requester.issuer && approver.subject === requester.subject)
    return "a second admin must decide: you asked for this change";
  if (requester.id.trim().toLowerCase() === approver.id.trim().toLowerCase())
    return "a second admin must decide: this change was asked for under your email, from this or another account";
  return null;
}

/** Who must approve: finance decides how customers are billed; IT admins decide the rest. */
export function findApproverRoleProblem(requiredRole: "admin" | "finance", approver: DutyIdentity): string | null {
  if (requiredRole === "finance" && !approver.roles?.includes(ROLES.finance))
    return "the billing mode decides what customers pay: someone with the finance role must approve it";
  // Roles unknown: a job or a test acting as an admin, never a person at a door (every door sets them).
  if (requiredRole === "admin" && approver.roles && !approver.roles.includes(ROLES.admin)) return "an IT admin must approve this change";
  return null;
}
