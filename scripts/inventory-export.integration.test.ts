import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inventorySnapshots } from "@/drizzle/schema";
import { createLabInventoryWorld } from "@/lab/inventory/world";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { importDeclaredFiles } from "@/server/services/inventory/queries";
import { createTestDatabase } from "@/server/testing/database";

const { db, url } = await createTestDatabase();
const root = path.resolve(import.meta.dirname, "..");
const lab = (name: string) => path.join(root, "lab/inventory", name);

let pve: LabProxmox;
beforeAll(async () => {
  pve = await startLabProxmox({ world: createLabInventoryWorld() });
});
afterAll(() => pve.close());

/** Runs the CLI as `npm run inventory:export` would, in its own process. */
function runExport(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  const { DATABASE_URL: _ignored, ...base } = process.env;
  const childEnv: NodeJS.ProcessEnv = {
    ...base,
    PROXMOX_URL: pve.url,
    PROXMOX_TOKEN_ID: pve.tokenId,
    PROXMOX_TOKEN_SECRET: pve.tokenSecret,
    LOG_LEVEL: "silent",
    ...env,
  };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  return new Promise((resolve) => {
    execFile(
      path.join(root, "node_modules/.bin/tsx"),
      ["scripts/inventory-export.ts", ...args],
      { cwd: root, env: childEnv, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}
const readJson = (dir: string, name: string) => JSON.parse(readFileSync(path.join(dir, name), "utf8")) as Record<string, unknown> & { guests: unknown[] };

describe("npm run inventory:export", () => {
  it("writes live_inventory.json and drift.json, stores the snapshot, and exits 2 on duplicate guest IPs", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "inv-export-"));
    const run = await runExport(["--out", out, "--conf", lab("ip-addresses.conf"), "--doc", lab("ALL_VMIDS_ENDPOINTS.md")], { DATABASE_URL: url });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(2);
    const live = readJson(out, "live_inventory.json");
    expect(live).toMatchObject({ is_stale: false, error: null });
    expect(live.guests).toHaveLength(41);
    const drift = readJson(out, "drift.json");
    expect(drift.duplicate_guest_ips).toEqual([{ ip: "192.168.11.212", vmids: [2102, 9001] }]);
    expect(drift.guest_ips_not_in_ip_addresses_conf).toEqual([{ vmid: 7810, name: "grafana", ip: "192.168.11.180" }]);
    const rows = await db.select().from(inventorySnapshots);
    expect(rows.map((r) => [r.trigger, r.status])).toEqual([["cli", "ok"]]);
  });

  it("exits 0 with seed_unreachable when Proxmox is down, keeping the last good snapshot as stale", async () => {
    await importDeclaredFiles(db, { id: "test" }, { conf: { content: readFileSync(lab("ip-addresses.conf"), "utf8") } });
    const out = mkdtempSync(path.join(tmpdir(), "inv-export-"));
    pve.setDown(true);
    let run;
    try {
      run = await runExport(["--out", out], { DATABASE_URL: url });
    } finally {
      pve.setDown(false);
    }
    expect(run.code).toBe(0);
    const live = readJson(out, "live_inventory.json");
    expect(live).toMatchObject({ seed_unreachable: true, is_stale: true, error: expect.stringContaining("503") });
    expect(live.guests).toHaveLength(41);
    // The stored conf is used when no file is given; drift is of the stale snapshot, labelled so.
    const drift = readJson(out, "drift.json");
    expect(drift).toMatchObject({ seed_unreachable: true, is_stale: true, counts: { ip_addresses_conf_ips_not_on_guests: 1 } });
  });

  it("without a database: seed_unreachable and no guests when Proxmox cannot be reached; bad usage exits 1", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "inv-export-"));
    const run = await runExport(["--out", out, "--conf", lab("ip-addresses.conf")], { PROXMOX_URL: "http://127.0.0.1:9" });
    expect(run.code).toBe(0);
    expect(readJson(out, "live_inventory.json")).toMatchObject({ seed_unreachable: true, collected_at: null, guests: [] });
    expect(readJson(out, "drift.json")).toMatchObject({ seed_unreachable: true, counts: null });

    const noOut = await runExport([], {});
    expect(noOut.code).toBe(1);
    expect(noOut.stderr).toContain("--out DIR is required");
    const missing = await runExport(["--out", out, "--conf", "/nonexistent.conf"], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read /nonexistent.conf");
  });
});
