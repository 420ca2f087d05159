import { describe, expect, it } from "vitest";
import { isEventNewer, isHandledEventType, planEntitlements, stripeSubscriptionSchema } from "./stripe-events";

const at = (s: number) => new Date(s * 1000);

describe("isEventNewer", () => {
  it("applies the first event and later ones, never an older one delivered late", () => {
    expect(isEventNewer(undefined, { created: at(10), type: "customer.subscription.updated" })).toBe(true);
    const last = { created: at(20), type: "customer.subscription.updated" };
    expect(isEventNewer(last, { created: at(21), type: "customer.subscription.updated" })).toBe(true);
    expect(isEventNewer(last, { created: at(19), type: "customer.subscription.updated" })).toBe(false);
    expect(isEventNewer(last, { created: at(19), type: "customer.subscription.created" })).toBe(false);
  });

  it("ranks events of the same second by lifecycle, and nothing follows a deletion", () => {
    const created = { created: at(20), type: "customer.subscription.created" };
    expect(isEventNewer({ created: at(20), type: "customer.subscription.updated" }, created)).toBe(false);
    expect(isEventNewer(created, { created: at(20), type: "customer.subscription.updated" })).toBe(true);
    const deleted = { created: at(20), type: "customer.subscription.deleted" };
    expect(isEventNewer(deleted, { created: at(99), type: "customer.subscription.updated" })).toBe(false);
  });

  it("knows which types it handles", () => {
    expect(isHandledEventType("customer.subscription.deleted")).toBe(true);
    expect(isHandledEventType("invoice.paid")).toBe(true);
    expect(isHandledEventType("customer.subscription.trial_will_end")).toBe(false);
    expect(isHandledEventType("charge.succeeded")).toBe(false);
  });
});

describe("planEntitlements", () => {
  const sub = stripeSubscriptionSchema.parse({
    id: "sub_1",
    object: "subscription",
    customer: "cus_1",
    status: "active",
    start_date: 1_700_000_000,
    ended_at: null,
    items: {
      object: "list",
      data: [{ id: "si_1", object: "subscription_item", quantity: 5, price: { id: "price_win" }, current_period_end: 1_702_592_000 }],
    },
  });

  it("turns each item into a licence with quantity as seats, valid to the period's end", () => {
    expect(planEntitlements(sub, "customer.subscription.updated")).toEqual([
      { externalRef: "si_1", priceId: "price_win", seatCount: 5, validFrom: at(1_700_000_000), validTo: at(1_702_592_000), status: "active" },
    ]);
  });

  it("expires every item when the subscription is deleted, at its end", () => {
    const ended = { ...sub, status: "canceled" as const, ended_at: 1_701_000_000 };
    expect(planEntitlements(ended, "customer.subscription.deleted")[0]).toMatchObject({ status: "expired", validTo: at(1_701_000_000) });
  });

  it("flags a past-due subscription's licences", () => {
    expect(planEntitlements({ ...sub, status: "past_due" }, "customer.subscription.updated")[0]!.status).toBe("past_due");
  });
});
