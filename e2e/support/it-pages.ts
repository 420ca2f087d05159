import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { expect, type Page } from "@playwright/test";
import { NAV_ITEMS } from "@/lib/nav";

const IT_APP_DIR = join(process.cwd(), "app", "(it)", "it");

/** Every /it route the app directory has, as its pattern (`/it/switches/[id]`), read from the files so a new page cannot be forgotten. */
export function listItRoutePatterns(dir = IT_APP_DIR): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...listItRoutePatterns(path));
    else if (name === "page.tsx") {
      const rel = relative(IT_APP_DIR, dir).split(sep).filter(Boolean);
      found.push(["/it", ...rel].join("/"));
    }
  }
  return found.sort();
}

/** The demo world's ids that dynamic pages need: a switch, a provisioning job. */
export interface DemoIds {
  switchId: number;
  provisioningJobId: number;
}

/**
 * The concrete URLs that show every /it route pattern on the demo world. A pattern with no entry
 * here fails the caller's check, so a new page is scanned from the day it exists.
 */
export function expandItRoutes(ids: DemoIds): Record<string, string[]> {
  return {
    "/it": ["/it"],
    // Areas not built yet each render the same placeholder; none may exist.
    "/it/[area]": NAV_ITEMS.filter((i) => !i.isBuilt).map((i) => i.href),
    // dedi-201's primary address in the demo world.
    "/it/addresses/[address]": ["/it/addresses/10.13.0.21"],
    "/it/approvals": ["/it/approvals"],
    "/it/audit": ["/it/audit"],
    "/it/billing": ["/it/billing"],
    "/it/drift": ["/it/drift"],
    "/it/hosts": ["/it/hosts"],
    // Its two tabs: prefixes and VLANs (the default), and the address table.
    "/it/ipam": ["/it/ipam", "/it/ipam?tab=addresses"],
    "/it/jobs": ["/it/jobs"],
    "/it/licenses": ["/it/licenses"],
    "/it/port-security": ["/it/port-security"],
    "/it/ports": ["/it/ports"],
    "/it/provisioning": ["/it/provisioning"],
    "/it/provisioning/[id]": [`/it/provisioning/${ids.provisioningJobId}`],
    // With a server chosen, the page shows the port-security preview.
    "/it/proxmox": ["/it/proxmox", "/it/proxmox?server=201"],
    "/it/settings": ["/it/settings"],
    "/it/switches": ["/it/switches"],
    "/it/switches/[id]": [`/it/switches/${ids.switchId}`],
    "/it/virtual-macs": ["/it/virtual-macs"],
    "/it/vlans": ["/it/vlans"],
    // The demo's duplicate: the page's fullest answer.
    "/it/why": ["/it/why", "/it/why?ip=192.168.11.212"],
  };
}

/** The first switch the demo world lists. */
export async function findDemoSwitchId(page: Page): Promise<number> {
  await page.goto("/it/switches");
  const href = await page.locator('a[href^="/it/switches/"]').first().getAttribute("href");
  const id = Number(/\/it\/switches\/(\d+)/.exec(href ?? "")?.[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

/**
 * A provisioning job of the demo world: a reboot of the dev-sandbox VM (lab/inventory/world.ts),
 * which leaves it as other specs expect. Returns the job's id.
 */
export async function createDemoProvisioningJob(page: Page, changeSettings: (form: Record<string, string>) => Promise<void>): Promise<number> {
  await changeSettings({
    provisioningNodes: "r630-04",
    provisioningVmidRanges: "8700",
    provisioningStorages: "local-lvm",
    provisioningJobTypes: "power_reboot",
  });
  const res = await page.request.post("/api/trpc/provisioning.request", {
    data: { json: { request: { type: "power", node: "r630-04", guestType: "qemu", vmid: 8700, action: "reboot" }, ticketId: "OPS-28" } },
    headers: { "x-sankofa-console": "1" },
  });
  expect(res.ok(), await res.text()).toBe(true);
  const id = ((await res.json()) as { result: { data: { json: { id: number } } } }).result.data.json.id;
  expect(id).toBeGreaterThan(0);
  return id;
}
