import { z } from "zod";

// What an admin may save as a notification receiver. Secrets are write-only, like connections':
// a blank secret on an existing receiver keeps the stored one.

const httpUrl = (label: string) =>
  z
    .string()
    .trim()
    .max(1000)
    .pipe(z.url({ protocol: /^https?$/, error: `${label}: give an http(s) URL` }));

const name = z.string().trim().min(1, "Name: required").max(100);
const secret = z.string().trim().max(1000).optional();
const emailAddress = z
  .string()
  .trim()
  .max(320)
  .pipe(z.email({ error: "give an email address" }));

/** A generic JSON webhook: the URL is shown; an optional secret signs each body (HMAC-SHA256, Standard Webhooks). */
export const webhookReceiverSchema = z.object({ kind: z.literal("webhook"), name, url: httpUrl("Webhook URL"), secret });

/**
 * A Slack or Microsoft Teams incoming webhook: both accept `{"text": …}` posted to their URL. The URL
 * itself is the credential (anyone holding it can post), so it is the sealed secret; only its host is shown.
 */
export const slackReceiverSchema = z.object({ kind: z.literal("slack"), name, secret });

/** Email over SMTP. `secret` is the SMTP password. */
export const emailReceiverSchema = z.object({
  kind: z.literal("email"),
  name,
  host: z
    .string()
    .trim()
    .min(1, "SMTP host: required")
    .max(255)
    .regex(/^[A-Za-z0-9.:-]+$/, "SMTP host: a host name or address"),
  port: z.coerce.number().int().min(1).max(65535),
  /** Implicit TLS (port 465); off means plain, upgraded by STARTTLS when the server offers it. */
  isTls: z.boolean().default(false),
  username: z.string().trim().max(320).optional(),
  from: emailAddress,
  to: z.array(emailAddress).min(1, "To: at least one address").max(20),
  secret,
});

export const receiverInputSchema = z.discriminatedUnion("kind", [webhookReceiverSchema, slackReceiverSchema, emailReceiverSchema]);
export type ReceiverInput = z.infer<typeof receiverInputSchema>;
export type ReceiverKind = ReceiverInput["kind"];

/** What is stored readable and shown: never a secret. */
export type ReceiverPublic =
  | { kind: "webhook"; url: string }
  | { kind: "slack"; host: string | null }
  | { kind: "email"; host: string; port: number; isTls: boolean; username: string | null; from: string; to: string[] };

/** The readable part of an input; for Slack, only the host of the (secret) URL. */
export function computeReceiverPublic(input: ReceiverInput, slackUrl?: string): ReceiverPublic {
  if (input.kind === "webhook") return { kind: "webhook", url: input.url };
  if (input.kind === "slack") return { kind: "slack", host: slackUrl ? new URL(slackUrl).host : null };
  return {
    kind: "email",
    host: input.host,
    port: input.port,
    isTls: input.isTls,
    username: input.username || null,
    from: input.from,
    to: input.to,
  };
}

/** A Slack/Teams URL must be http(s): it is where every message goes, so it is checked like any URL. */
export const slackUrlSchema = httpUrl("Incoming webhook URL");
