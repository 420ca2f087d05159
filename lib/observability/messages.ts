// What each kind of receiver is sent for one condition's start, its clearing, or a test.

export type NotificationEvent = "firing" | "resolved" | "test";

export interface NotificationMessage {
  event: NotificationEvent;
  conditionKey: string | null;
  summary: string;
  /** When the condition started (firing, resolved) or the test was asked for. */
  at: Date;
}

const WORD: Record<NotificationEvent, string> = { firing: "FIRING", resolved: "RESOLVED", test: "TEST" };

/** The generic webhook's body: versioned, so a receiver can tell a later shape apart. */
export function buildWebhookBody(m: NotificationMessage, sentAt: Date) {
  return {
    version: 1,
    source: "sankofa-it",
    event: m.event,
    condition: m.conditionKey,
    kind: m.conditionKey?.split(":")[0] ?? null,
    subject: m.conditionKey?.includes(":") ? m.conditionKey.slice(m.conditionKey.indexOf(":") + 1) : null,
    summary: m.summary,
    at: m.at.toISOString(),
    sentAt: sentAt.toISOString(),
  };
}

/**
 * Slack's incoming webhooks take `{"text": …}` (api.slack.com/messaging/webhooks); so do Microsoft
 * Teams' (Office 365 connector) incoming webhooks, which render `text` as the card's body.
 */
export function buildChatBody(m: NotificationMessage): { text: string } {
  const icon = m.event === "firing" ? ":rotating_light:" : m.event === "resolved" ? ":white_check_mark:" : ":wave:";
  return { text: `${icon} [Sankofa IT] ${WORD[m.event]}: ${m.summary}` };
}

export function buildEmail(m: NotificationMessage): { subject: string; text: string } {
  const lines = [
    m.summary,
    "",
    m.event === "firing"
      ? `This started at ${m.at.toISOString()}. You will get one more message when it clears.`
      : m.event === "resolved"
        ? `This has cleared (it started at ${m.at.toISOString()}).`
        : "A test message from Settings › Notifications: this receiver works.",
  ];
  if (m.conditionKey) lines.push("", `Condition: ${m.conditionKey}`, "Runbook: docs/runbook.md in the Sankofa IT repository");
  return { subject: `[Sankofa IT] ${WORD[m.event]}: ${m.summary}`, text: `${lines.join("\n")}\n` };
}
