import { z } from "zod";
import { parseIpAddress } from "../net/ip";

// A Tenantos server id as its listener posts it: a number or a numeric string (PHP).
export const serverIdSchema = z.union(
  [
    z.number().int().positive(),
    z
      .string()
      .regex(/^\d{1,10}$/)
      .transform(Number),
  ],
  {
    error: "serverId must be a positive integer",
  },
);

// What Tenantos's listener posts.
export const portSecurityEventSchema = z
  .object({
    action: z.enum(["ip_assigned", "ip_removed", "server_deleted"], { error: "action must be ip_assigned, ip_removed or server_deleted" }),
    serverId: serverIdSchema,
    ip: z
      .string()
      .max(64)
      .transform((v, ctx) => {
        try {
          return parseIpAddress(v).ip;
        } catch {
          ctx.addIssue({ code: "custom", message: `ip ${JSON.stringify(v)} is not an IP address` });
          return z.NEVER;
        }
      })
      .optional(),
  })
  .superRefine((e, ctx) => {
    if (e.action !== "server_deleted" && !e.ip) ctx.addIssue({ code: "custom", path: ["ip"], message: `ip is required for ${e.action}` });
  });

/** The provisioning door's body: the server Tenantos just provisioned. */
export const provisioningEventSchema = z
  .object({
    serverId: serverIdSchema,
  })
  .transform((e) => ({ action: "server_provisioned" as const, serverId: e.serverId, ip: undefined }));

/** `POST /api/v1/virtual-macs`: a VMAC for this IP of this server. */
export const vmacCreateSchema = z.object({ ip: z.string().max(64), serverId: serverIdSchema });

export type PortSecurityEvent = z.output<typeof portSecurityEventSchema> | z.output<typeof provisioningEventSchema>;

/** One line naming the first bad field, for a 400 answer. */
export function describeEventError(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.join(".") || "body";
  return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
}

export function eventDedupeKey(e: PortSecurityEvent): string {
  return `${e.action}|${e.serverId}|${e.ip ?? ""}`;
}
