import { randomBytes } from "node:crypto";
import { desc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LabSwitch } from "@/lab/junos/ssh-switch";
import { auditLog, switchPushes, vmacs } from "@/drizzle/schema";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { createTestDatabase } from "@/server/testing/database";
import { startDemoWorld, type DemoWorld } from "@/server/testing/demo-world";
import { buildViewer, callerFor } from "@/server/testing/factories";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { previewServerPort, pushServerPortNow } from "./preview";
import { getProxmoxOverview } from "./proxmox-overview";
import { getLatestApplyAll, listApplyAllRuns, previewApplyAll, startApplyAll } from "../switches/apply-all";
import { getPortMap } from "./port-map";
import { checkVmacAgreement } from "./vmac-check";
import { explainIpBinding } from "./explain";
import { countSwitchAlerts } from "../switches/alerts";
import { computeSwitchPlans } from "../port-state/switch-plan";

const { db, url } = await createTestDatabase();
const key = randomBytes(32);
const admin = { id: "admin@test.sankofa" };
let world: DemoWorld;
let ex4200: LabSwitch;
let ex3400: LabSwitch;
let panel: OutsideSystems;

beforeAll(async () => {
  world = await startDemoWorld({ db, url, secretsKey: key, prefix: "pv" });
  ({ ex4200, ex3400, panel } = world);
  await db.insert(vmacs).values({ ip: "10.13.0.22", mac: "02:00:0a:0d:00:16", serverId: 201 });
});
afterAll(() => world?.close());

const DUPLICATE_CLAIMANTS = ["VM 9001 (besu-rpc-2-clone) on r630-04 net0", "VM 2102 (besu-rpc-2) on r630-02 net0"];
const lines = (bs: Array<{ ip: string; mac: string; vlan: string }>) => bs.map((b) => `${b.ip} ${b.mac} ${b.vlan}`);

describe("port-security preview and push now", () => {
  it("lists nodes with their VMs and the dedicated servers apart", async () => {
    const o = await getProxmoxOverview(db, panel);
    expect(o.errors).toEqual([]);
    expect(o.nodes.map((n) => n.node)).toEqual(["ml110", "r630-01", "r630-02", "r630-03", "r630-04"]);
    // Nodes are the servers an admin mapped; a hostname match is only a suggestion.
    expect(o.nodes.filter((n) => n.serverId).map((n) => [n.node, n.serverId, n.vms.length])).toEqual([
      ["r630-01", 204, 10],
      ["r630-04", 205, 4],
    ]);
    expect(o.nodes.filter((n) => n.suggestedServerId).map((n) => n.node)).toEqual([]);
    // Each guest's type, so the provisioning action opens on the right API path.
    expect(o.nodes.find((n) => n.node === "r630-04")!.guestTypes).toMatchObject({ 8700: "qemu", 8701: "lxc" });
    expect(o.dedicated.map((s) => s.id).sort()).toEqual([201, 202, 203, 206, 207, 208]);
  });

  it("previews a dedicated server, pushes it from the console, then shows it in sync", async () => {
    const before = await previewServerPort(db, panel, key, 202);
    expect(before.target).toMatchObject({ interface: "ge-0/0/6.0", kind: "dedicated" });
    expect(lines(before.desired)).toEqual(["10.13.0.31 aa:bb:cc:02:02:00 VLAN.13"]);
    expect(before.skipped).toEqual([
      { subject: "10.13.0.32", ip: "10.13.0.32", rule: "no-mac", reason: "additional IP without an active VMAC" },
      { subject: "10.99.0.33", ip: "10.99.0.33", rule: "no-mac", reason: "additional IP without an active VMAC" },
    ]);
    // Each desired binding says where it comes from.
    expect(before.desired.map((b) => b.source)).toEqual([{ kind: "tenantos", serverId: 202 }]);
    expect(before.current).toEqual([]); // the switch's backup holds nothing on the port yet
    expect(before.description).toEqual({ desired: "srv-202-dedi-202", current: null });

    const { jobId } = await pushServerPortNow(db, panel, admin, 202);
    expect(jobId).toBeGreaterThan(0);
    const port = () => lines(parseBindingsFromDisplaySet(ex4200.state.displaySet(), "non-els").ports.get("ge-0/0/6.0") ?? []);
    await expect.poll(port, { timeout: 15_000 }).toEqual(["10.13.0.31 aa:bb:cc:02:02:00 VLAN.13"]);
    const committed = async () =>
      (await db.select().from(switchPushes).where(eq(switchPushes.trigger, "console:server:202")).orderBy(desc(switchPushes.id)))[0]?.status;
    await expect.poll(committed, { timeout: 5_000 }).toBe("committed");
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "port_security.push_now"))).toHaveLength(1);

    // The port names the server it serves.
    expect(ex4200.state.displaySet()).toContain("set interfaces ge-0/0/6 description srv-202-dedi-202");
    const after = await previewServerPort(db, panel, key, 202);
    expect(after.description).toEqual({ desired: "srv-202-dedi-202", current: "srv-202-dedi-202" });
    expect(after.diff).toMatchObject({ added: [], removed: [] });
    expect(lines(after.diff!.kept)).toEqual(["10.13.0.31 aa:bb:cc:02:02:00 VLAN.13"]);
  });

  it("previews a node uplink with every VM and the skipped ones, and diffs against the switch", async () => {
    const p = await previewServerPort(db, panel, key, 204);
    expect(p.target).toMatchObject({ interface: "ae0.0", kind: "vm-node", proxmoxNode: "r630-01" });
    expect(p.desired).toHaveLength(12);
    // A second NIC tagged 200 binds on VLAN 200; the rest are untagged, so VLAN 11; both named as the EX3400 names them.
    expect(lines(p.desired)).toEqual(expect.arrayContaining(["192.168.11.100 bc:24:11:00:03:e8 v11-infra", "10.200.0.1 bc:24:11:01:21:98 v200-tenants"]));
    // VM 2101 is Tenantos server 207: it gets its Tenantos IPs, the newly assigned .215 included.
    expect(lines(p.desired).filter((l) => / 192\.168\.11\.21[15] /.test(` ${l}`))).toHaveLength(2);
    const node2 = await previewServerPort(db, panel, key, 205);
    expect(lines(node2.desired)).toEqual(["192.168.11.135 bc:24:11:00:21:fd v11-infra"]);
    expect(node2.skipped.map((x) => x.subject)).toEqual([
      "8700 (dev-sandbox) bc:24:11:00:21:fc",
      "9000 (tmpl-debian-12) bc:24:11:00:23:28",
      "192.168.11.14",
      "9001 (besu-rpc-2-clone) 192.168.11.212",
    ]);
    // The node's own address is left out, saying so: no push binds it, and "why" says the same.
    expect(node2.skipped[2]).toMatchObject({ rule: "node-address" });
    expect(node2.skipped.at(-1)).toMatchObject({ rule: "duplicate", claimants: DUPLICATE_CLAIMANTS });
    expect(node2.flags.map((f) => [f.kind, f.ip])).toEqual(expect.arrayContaining([["claimed-twice", "192.168.11.212"]]));
  });

  it("flags VMACs a Proxmox guest or a switch binding contradicts", async () => {
    await db.insert(vmacs).values([
      { ip: "192.168.11.100", mac: "02:00:c0:a8:0b:64", serverId: 204 },
      { ip: "10.13.0.31", mac: "02:00:0a:0d:00:1f", serverId: 202 },
    ]);
    const { disagreements, errors } = await checkVmacAgreement(db, panel, key);
    expect(errors).toEqual([]);
    expect(disagreements.map((d) => [d.ip, d.source, d.where, d.mac])).toEqual([
      ["10.13.0.31", "switch", `${ex4200.name} ge-0/0/6.0`, "aa:bb:cc:02:02:00"],
      ["192.168.11.100", "proxmox", "r630-01 VM 1000 (besu-validator-1)", "bc:24:11:00:03:e8"],
    ]);
    // A check that runs out of time says what it did not read instead of holding the request.
    expect((await checkVmacAgreement(db, panel, key, { deadlineMs: -1 })).errors).toEqual([
      expect.stringMatching(/^Proxmox: the check stopped after -1 ms: node \S+ and the ones after it were not read$/),
    ]);
    // 10.13.0.22's VMAC is contradicted by nothing.
    expect(disagreements.some((d) => d.ip === "10.13.0.22")).toBe(false);
    await db.delete(vmacs).where(inArray(vmacs.ip, ["192.168.11.100", "10.13.0.31"]));
  });

  it("says why a server cannot be pushed, and refuses the push", async () => {
    expect((await previewServerPort(db, panel, key, 203)).blockedReason).toBe(
      "snmp_switch connection 2031 (device 101, port id 2031): related_data.meta.switchAutomation is off for this switch connection",
    );
    expect((await previewServerPort(db, panel, key, 999)).blockedReason).toBe("server 999 does not exist in Tenantos");
    await expect(pushServerPortNow(db, panel, admin, 203)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(callerFor(db, buildViewer()).proxmox.pushNow({ serverId: 202 })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("Apply All covers every server in the panel, including ones that never sent an event", async () => {
    // Before it acts, the preview shows per switch and port what the pushes will do, from the same plan.
    const preview = await previewApplyAll(db, key, panel);
    const ae1 = preview.switches.find((s) => s.switchName === ex3400.name)!.ports.find((p) => p.interface === "ae1.0")!;
    expect(ae1.leftOut).toContainEqual(expect.objectContaining({ ip: "192.168.11.212", rule: "duplicate", claimants: DUPLICATE_CLAIMANTS }));
    expect(ae1.adds.map((b) => [b.ip, b.source])).toEqual([["192.168.11.135", { kind: "proxmox", vmid: 8701, node: "r630-04", nic: "net0", serverId: null }]]);
    const run = await startApplyAll(db, admin, panel);
    // 201, 202, 206 (two ports, bonded), 208, 204 and 205 (nodes), and 207, a VM whose ports are its node's.
    expect(run.panelSync).toEqual({
      known: 8,
      skipped: [
        {
          serverId: 203,
          reason: "snmp_switch connection 2031 (device 101, port id 2031): related_data.meta.switchAutomation is off for this switch connection",
        },
      ],
    });
    await expect.poll(async () => (await getLatestApplyAll(db))?.isFinished, { timeout: 20_000 }).toBe(true);
    expect((await getLatestApplyAll(db))!.failed).toBe(0);
    // Each switch says what its push did, with the push whose transcript the page opens.
    const [listed] = await listApplyAllRuns(db);
    expect(listed!.run.id).toBe(run.run.id);
    expect(listed!.switches.map((s) => s.outcome).sort()).toEqual(["changed", "changed"]);
    expect(listed!.switches.every((s) => s.pushId !== null)).toBe(true);

    // The switch page, "why" and the push speak with one voice about the demo's duplicate.
    const [page] = await computeSwitchPlans({ db, panel, secretsKey: key }, [world.ids.ex3400]);
    const port = page!.ports.find((p) => p.interface === "ae1.0")!;
    expect(port.adds).toEqual([]);
    expect(port.unchanged.map((b) => b.source)).toEqual([{ kind: "proxmox", vmid: 8701, node: "r630-04", nic: "net0", serverId: null }]);
    expect(port.leftOut).toContainEqual(expect.objectContaining({ ip: "192.168.11.212", rule: "duplicate" }));
    // An alert says so until it is resolved.
    expect((await countSwitchAlerts(db)).claimedTwice).toBe(1);
    const why = await explainIpBinding(db, panel, key, "192.168.11.212");
    expect(why.verdict).toBe("skipped");
    expect(why.summary).toContain("VM 9001 (besu-rpc-2-clone) on r630-04 net0");
    const on = (sw: LabSwitch, dialect: "els" | "non-els", iface: string) =>
      lines(parseBindingsFromDisplaySet(sw.state.displaySet(), dialect).ports.get(iface) ?? []);
    expect(on(ex4200, "non-els", "ge-0/0/5.0")).toEqual(["10.13.0.21 aa:bb:cc:02:01:00 VLAN.13", "10.13.0.22 02:00:0a:0d:00:16 VLAN.13"]);
    // The cross-node duplicate is bound on neither uplink.
    expect(on(ex3400, "els", "ae1.0")).toEqual(["192.168.11.135 bc:24:11:00:21:fd v11-infra"]);
    expect(on(ex3400, "els", "ae0.0")).toHaveLength(12);
  });

  it("maps which server sits on which port, as the switches' latest backups show", async () => {
    const { rows } = await getPortMap(db, key);
    const port5 = rows.find((r) => r.switchName === ex4200.name && r.interface === "ge-0/0/5.0")!;
    expect(port5).toMatchObject({ owner: { kind: "dedicated", serverId: 201 }, description: "srv-201-dedi-201", isDirty: false });
    expect(port5.onSwitch!.map((b) => b.ip)).toEqual(["10.13.0.21", "10.13.0.22"]);
    expect(rows.find((r) => r.interface === "ae1.0")).toMatchObject({ owner: { kind: "vm-node", serverId: 205, proxmoxNode: "r630-04" } });
  });
});
