import { and, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { notificationConditions, notificationDeliveries, notificationReceivers, type NotificationReceiverRow } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { jobKeys, NOTIFICATIONS_LOCK } from "@/lib/jobs/keys";
import {
  computeConditions,
  diffConditions,
  isWithinRateLimit,
  RATE_LIMIT_PER_RECEIVER,
  RATE_LIMIT_WINDOW_MS,
  type Condition,
} from "@/lib/observability/conditions";
import { buildChatBody, buildEmail, buildWebhookBody, type NotificationMessage } from "@/lib/observability/messages";
import { computeReceiverPublic, slackUrlSchema, type ReceiverInput, type ReceiverPublic } from "@/lib/observability/receivers";
import { sendEmail } from "@/server/connectors/notify/email";
import { postJson } from "@/server/connectors/notify/webhook";
import { seal, unseal } from "@/server/crypto/secret-box";
import type { Db, DbOrTx, Tx } from "@/server/db/client";
import { enqueueJob } from "@/server/jobs/enqueue";
import { writeAudit, type Actor } from "../platform/audit";
import { readConditionInputs } from "./queries";

// Notifications without Prometheus. A cron job evaluates the conditions from the same facts the
// metrics export, records which started and which cleared (one row per condition: the dedupe),
// and in that transaction queues one delivery job per message and receiver. Delivery is its own
// job, retried with backoff, so a dead receiver delays nothing but its own messages.

/** Delivery attempts; graphile-worker backs off exponentially between them (exp(attempts) seconds). */
export const DELIVERY_MAX_ATTEMPTS = 6;

export interface ReceiverView {
  id: number;
  kind: NotificationReceiverRow["kind"];
  name: string;
  settings: ReceiverPublic;
  hasSecret: boolean;
  isEnabled: boolean;
  updatedAt: Date;
  updatedBy: string;
}

const toView = (r: NotificationReceiverRow): ReceiverView => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  settings: r.settings,
  hasSecret: r.secretSealed !== null,
  isEnabled: r.isEnabled,
  updatedAt: r.updatedAt,
  updatedBy: r.updatedBy,
});

export async function listReceivers(db: DbOrTx): Promise<ReceiverView[]> {
  return (await db.select().from(notificationReceivers).orderBy(notificationReceivers.id)).map(toView);
}

/** The latest messages, for the settings page. */
export async function listDeliveries(db: DbOrTx, limit = 50) {
  return db.select().from(notificationDeliveries).orderBy(desc(notificationDeliveries.id)).limit(limit);
}

/**
 * Saves a receiver (new without `id`). A blank secret keeps the stored one, but only for the same
 * destination: a stored secret is never sent somewhere an admin (or a stolen session) newly names.
 * The audit row holds the readable settings and whether the secret changed, never the secret.
 */
export async function saveReceiver(
  db: DbOrTx,
  secretsKey: Buffer,
  actor: Actor,
  input: ReceiverInput & { id?: number; isEnabled?: boolean },
): Promise<ReceiverView> {
  return db.transaction(async (tx) => {
    const current = input.id ? (await tx.select().from(notificationReceivers).where(eq(notificationReceivers.id, input.id)).for("update"))[0] : undefined;
    if (input.id && !current) throw new AppError("NOT_FOUND", `notification receiver ${input.id} does not exist`);
    if (current && current.kind !== input.kind) throw new AppError("BAD_REQUEST", "A receiver's kind cannot change: add a new one", { field: "kind" });
    const secret = input.secret?.trim() || undefined;
    if (input.kind === "slack") {
      if (!secret && !current) throw new AppError("BAD_REQUEST", "Incoming webhook URL: required", { field: "secret" });
      if (secret) {
        const parsed = slackUrlSchema.safeParse(secret);
        if (!parsed.success) throw new AppError("BAD_REQUEST", "Incoming webhook URL: give an http(s) URL", { field: "secret" });
      }
    }
    if (current && !secret && current.secretSealed) {
      const before = current.settings;
      const isSameTarget =
        before.kind === "webhook" && input.kind === "webhook"
          ? before.url === input.url
          : before.kind === "email" && input.kind === "email"
            ? before.host === input.host && before.port === input.port
            : true;
      if (!isSameTarget) throw new AppError("BAD_REQUEST", "The destination changed, so the secret must be entered again", { field: "secret" });
    }
    const slackUrl = input.kind === "slack" ? (secret ?? (current?.secretSealed ? unseal(current.secretSealed, secretsKey) : undefined)) : undefined;
    const row = {
      kind: input.kind,
      name: input.name,
      settings: computeReceiverPublic(input, slackUrl),
      secretSealed: secret ? seal(secret, secretsKey) : (current?.secretSealed ?? null),
      isEnabled: input.isEnabled ?? current?.isEnabled ?? true,
      updatedAt: new Date(),
      updatedBy: actor.id,
    };
    const [saved] = current
      ? await tx.update(notificationReceivers).set(row).where(eq(notificationReceivers.id, current.id)).returning()
      : await tx.insert(notificationReceivers).values(row).returning();
    await writeAudit(tx, actor, {
      action: current ? "notification_receiver.update" : "notification_receiver.create",
      entityType: "notification_receiver",
      entityId: String(saved!.id),
      before: current ? { name: current.name, settings: current.settings, isEnabled: current.isEnabled } : null,
      after: { name: saved!.name, settings: saved!.settings, isEnabled: saved!.isEnabled, isSecretChanged: Boolean(secret) },
    });
    return toView(saved!);
  });
}

export async function deleteReceiver(db: DbOrTx, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [gone] = await tx.delete(notificationReceivers).where(eq(notificationReceivers.id, id)).returning();
    if (!gone) throw new AppError("NOT_FOUND", `notification receiver ${id} does not exist`);
    await writeAudit(tx, actor, {
      action: "notification_receiver.delete",
      entityType: "notification_receiver",
      entityId: String(id),
      before: { name: gone.name, settings: gone.settings },
    });
  });
}

/** "Send a test": one test message to one receiver, through the same job as every message; audited. */
export async function requestTestNotification(db: DbOrTx, actor: Actor, receiverId: number): Promise<{ deliveryId: number }> {
  return db.transaction(async (tx) => {
    const [receiver] = await tx.select().from(notificationReceivers).where(eq(notificationReceivers.id, receiverId));
    if (!receiver) throw new AppError("NOT_FOUND", `notification receiver ${receiverId} does not exist`);
    const [delivery] = await tx
      .insert(notificationDeliveries)
      .values({ receiverId, event: "test", summary: `Test message asked for by ${actor.id}`, status: "queued" })
      .returning();
    await enqueueJob(tx, "deliver-notification", { deliveryId: delivery!.id }, { maxAttempts: DELIVERY_MAX_ATTEMPTS });
    await writeAudit(tx, actor, { action: "notification_receiver.test", entityType: "notification_receiver", entityId: String(receiverId) });
    return { deliveryId: delivery!.id };
  });
}

/** Queues one message to every enabled receiver, or records it suppressed where the receiver's rate limit is spent. */
async function queueMessages(
  tx: Tx,
  receivers: NotificationReceiverRow[],
  msg: { conditionKey: string; event: "firing" | "resolved"; summary: string },
  now: Date,
) {
  for (const r of receivers) {
    const recent = await tx
      .select({ createdAt: notificationDeliveries.createdAt })
      .from(notificationDeliveries)
      .where(
        and(
          eq(notificationDeliveries.receiverId, r.id),
          inArray(notificationDeliveries.event, ["firing", "resolved"]),
          inArray(notificationDeliveries.status, ["queued", "sent", "failed"]),
          gt(notificationDeliveries.createdAt, new Date(now.getTime() - RATE_LIMIT_WINDOW_MS)),
        ),
      );
    const isAllowed = isWithinRateLimit(
      recent.map((x) => x.createdAt),
      now,
      RATE_LIMIT_PER_RECEIVER,
      RATE_LIMIT_WINDOW_MS,
    );
    const [delivery] = await tx
      .insert(notificationDeliveries)
      .values({
        receiverId: r.id,
        conditionKey: msg.conditionKey,
        event: msg.event,
        summary: msg.summary,
        status: isAllowed ? "queued" : "suppressed",
        createdAt: now,
      })
      .returning();
    if (isAllowed) await enqueueJob(tx, "deliver-notification", { deliveryId: delivery!.id }, { maxAttempts: DELIVERY_MAX_ATTEMPTS });
  }
}

export interface EvaluationResult {
  started: Condition[];
  cleared: string[];
  active: number;
}

/**
 * Compares the conditions that hold now with those announced, under one advisory lock so two
 * workers never announce the same start twice: a start inserts its row, a clear stamps
 * `cleared_at`, and each queues its messages in the same transaction.
 */
export async function evaluateNotifications(db: Db, now = new Date()): Promise<EvaluationResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${NOTIFICATIONS_LOCK}))`);
    const current = computeConditions(await readConditionInputs(tx, now));
    const active = await tx.select().from(notificationConditions).where(isNull(notificationConditions.clearedAt));
    const { started, cleared } = diffConditions(
      active.map((a) => a.key),
      current,
    );
    if (!started.length && !cleared.length) return { started, cleared, active: current.length };
    const receivers = await tx.select().from(notificationReceivers).where(eq(notificationReceivers.isEnabled, true)).orderBy(notificationReceivers.id);
    for (const c of started) {
      const row = { kind: c.kind, subject: c.subject, summary: c.summary, startedAt: now, clearedAt: null };
      await tx
        .insert(notificationConditions)
        .values({ key: c.key, ...row })
        .onConflictDoUpdate({ target: notificationConditions.key, set: row });
      await queueMessages(tx, receivers, { conditionKey: c.key, event: "firing", summary: c.summary }, now);
    }
    for (const key of cleared) {
      const [row] = await tx.update(notificationConditions).set({ clearedAt: now }).where(eq(notificationConditions.key, key)).returning();
      await queueMessages(tx, receivers, { conditionKey: key, event: "resolved", summary: `Resolved: ${row!.summary}` }, now);
    }
    return { started, cleared, active: current.length };
  });
}

/** Asks for an evaluation now (e.g. after saving a receiver); a burst of asks is one job. */
export async function enqueueNotificationEvaluation(db: DbOrTx): Promise<void> {
  await enqueueJob(db, "evaluate-notifications", {}, { jobKey: jobKeys.evaluateNotifications, maxAttempts: 1 });
}

/**
 * Sends one queued message: reads it and its receiver, sends with no transaction open, then
 * records the result. Throws on failure so the job is retried; the last attempt marks it failed.
 */
export async function deliverNotification(
  db: Db,
  secretsKey: Buffer,
  deliveryId: number,
  attempt: { number: number; isLast: boolean },
): Promise<"sent" | "skipped"> {
  const [row] = await db
    .select({ delivery: notificationDeliveries, receiver: notificationReceivers })
    .from(notificationDeliveries)
    .innerJoin(notificationReceivers, eq(notificationReceivers.id, notificationDeliveries.receiverId))
    .where(eq(notificationDeliveries.id, deliveryId));
  // A receiver deleted since, or a message already sent by an earlier attempt: nothing to do.
  if (!row || row.delivery.status !== "queued") return "skipped";
  const { delivery, receiver } = row;
  const condition = delivery.conditionKey
    ? (await db.select().from(notificationConditions).where(eq(notificationConditions.key, delivery.conditionKey)))[0]
    : undefined;
  const message: NotificationMessage = {
    event: delivery.event,
    conditionKey: delivery.conditionKey,
    summary: delivery.summary,
    at: condition?.startedAt ?? delivery.createdAt,
  };
  const secret = receiver.secretSealed ? unseal(receiver.secretSealed, secretsKey) : undefined;
  try {
    const s = receiver.settings;
    if (s.kind === "webhook") await postJson(s.url, buildWebhookBody(message, new Date()), { secret, id: `sankofa-delivery-${delivery.id}` });
    else if (s.kind === "slack") {
      if (!secret) throw new Error("no incoming webhook URL is stored");
      await postJson(secret, buildChatBody(message));
    } else {
      await sendEmail(
        { host: s.host, port: s.port, isTls: s.isTls, username: s.username, password: secret ?? null },
        { from: s.from, to: s.to, ...buildEmail(message) },
      );
    }
  } catch (e) {
    const error = (e as Error).message.slice(0, 500);
    await db
      .update(notificationDeliveries)
      .set({ attempts: attempt.number, error, ...(attempt.isLast ? { status: "failed" as const } : {}) })
      .where(eq(notificationDeliveries.id, deliveryId));
    throw e;
  }
  await db
    .update(notificationDeliveries)
    .set({ status: "sent", sentAt: new Date(), attempts: attempt.number, error: null })
    .where(eq(notificationDeliveries.id, deliveryId));
  return "sent";
}
