import { billingOrgs } from "@/drizzle/schema";
import type { BillingMeter } from "@/lib/billing/meters";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createTenantosClient } from "@/server/connectors/tenantos/client";
import type { Db } from "@/server/db/client";
import { bindObjectToOrg, createOrg, createSku } from "../billing/catalogue";
import { draftInvoices, issueInvoice } from "../billing/invoices";
import { assignSeat, createLicence } from "../billing/licences";
import { collectUsageDay } from "../billing/usage";
import type { Actor } from "./audit";
import { getSettings } from "./settings";

/** Where the demo lab's Tenantos and Proxmox answer (the demo seed's refs). */
export interface DemoFinanceRefs {
  tenantos: { url: string; apiKey: string };
  proxmox: { url: string; tokenId: string; tokenSecret: string };
}

/** Days of usage the demo collects from the lab before drafting (yesterday back). */
const DEMO_USAGE_DAYS = 3;

const firstOfMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const lastOfMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The finance side of the demo, once: two customer organisations owning some of the lab's guests
 * and servers, a price list (metered infra and per-seat licences), licences with seats given out,
 * the last few days' usage collected from the lab as the nightly job would, last month's invoices
 * drafted and one issued, and this month's drafted. Everything through the billing services, so
 * every figure is one the app computed and every step is audited.
 */
export async function seedDemoFinance(db: Db, actor: Actor, refs: DemoFinanceRefs, now = new Date()): Promise<void> {
  const [org] = await db.select({ id: billingOrgs.id }).from(billingOrgs).limit(1);
  if (org) return;
  const acme = await createOrg(db, actor, { code: "acme", name: "Acme Web Shops GmbH" });
  const kofi = await createOrg(db, actor, { code: "kofi-labs", name: "Kofi Labs Ltd" });
  const infra: Array<[string, string, BillingMeter, string, number]> = [
    ["vcpu-hour", "vCPU hour", "cpu_hours", "vCPU-hour", 2],
    ["ram-gb-hour", "RAM GB hour", "ram_gb_hours", "GB-hour", 1],
    ["disk-gb-day", "Disk GB day", "storage_gb_days", "GB-day", 1],
    ["ipv4-day", "Public IPv4 address day", "ipv4_count", "address-day", 10],
    ["bandwidth-p95", "Bandwidth (95th percentile)", "bandwidth_p95_mbps", "Mbit/s-month", 50],
  ];
  for (const [code, name, meter, unit, unitPriceMinor] of infra)
    await createSku(db, actor, { code, name, kind: "infra", externalSkuId: `demo-${code}`, unit, unitPriceMinor, currency: "EUR", meter });
  const windows = await createSku(db, actor, {
    code: "win-server",
    name: "Windows Server Standard",
    kind: "licence",
    externalSkuId: "demo-win-server",
    unit: "seat-month",
    unitPriceMinor: 2350,
    currency: "EUR",
  });
  const grafana = await createSku(db, actor, {
    code: "grafana-seat",
    name: "Managed Grafana seat",
    kind: "licence",
    externalSkuId: "demo-grafana-seat",
    unit: "seat-month",
    unitPriceMinor: 900,
    currency: "EUR",
    grantsGroup: "/customers/grafana",
  });
  // Guests and servers of the lab, as finance would bind them to their customers.
  for (const object of ["vmid:2101", "vmid:7800", "server:201", "server:206"]) await bindObjectToOrg(db, actor, { object, orgId: acme.id });
  for (const object of ["vmid:7812", "server:208"]) await bindObjectToOrg(db, actor, { object, orgId: kofi.id });
  const since = firstOfMonth(new Date(firstOfMonth(now).getTime() - 86_400_000));
  const win = await createLicence(db, actor, { skuId: windows.id, orgId: acme.id, seatCount: 3, validFrom: since });
  await assignSeat(db, actor, { licenceId: win.id, holder: "server:201" });
  await assignSeat(db, actor, { licenceId: win.id, holder: "server:206" });
  const seats = await createLicence(db, actor, { skuId: grafana.id, orgId: kofi.id, project: "observability", seatCount: 5, validFrom: since });
  for (const holder of ["ama@kofi-labs.example", "kwame@kofi-labs.example"]) await assignSeat(db, actor, { licenceId: seats.id, holder });

  // The nightly metering's work for the last few days, read from the lab (no transaction is open here).
  const { bandwidthBillingMode } = await getSettings(db);
  const deps = {
    proxmox: createProxmoxClient({ baseUrl: refs.proxmox.url, tokenId: refs.proxmox.tokenId, tokenSecret: refs.proxmox.tokenSecret }),
    tenantos: createTenantosClient({ baseUrl: refs.tenantos.url, apiKey: refs.tenantos.apiKey }),
    bandwidthMode: bandwidthBillingMode,
  };
  for (let back = DEMO_USAGE_DAYS; back >= 1; back--) await collectUsageDay(db, actor, isoDay(new Date(now.getTime() - back * 86_400_000)), deps);

  // Last month: drafted, then Acme's issued (its lines and total are fixed from here on).
  const lastMonth = firstOfMonth(new Date(firstOfMonth(now).getTime() - 86_400_000));
  const previous = await draftInvoices(db, actor, {
    periodStart: isoDay(lastMonth),
    periodEnd: isoDay(lastOfMonth(lastMonth)),
    bandwidthMode: bandwidthBillingMode,
  });
  const acmeInvoice = previous.drafted.find((d) => d.org === "acme");
  if (acmeInvoice) await issueInvoice(db, actor, acmeInvoice.invoiceId);
  // This month so far: drafts, as finance would look at them before the month ends.
  await draftInvoices(db, actor, { periodStart: isoDay(firstOfMonth(now)), periodEnd: isoDay(lastOfMonth(now)), bandwidthMode: bandwidthBillingMode });
}
