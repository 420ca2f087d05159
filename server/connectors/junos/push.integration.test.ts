import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLab, type Lab } from "@/lab";
import type { LabSwitch } from "@/lab/junos/ssh-switch";
import { parseBinding, type PortBindings } from "@/lib/junos/bindings";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import type { JunosDialect } from "@/lib/junos/dialect";
import { JunosError } from "@/lib/junos/errors";
import { pushBindings, readCommitHistory, type PushOptions } from "./push";
import { openJunosSession, type JunosTarget } from "./session";

const BASE = `set system host-name lab
set ethernet-switching-options secure-access-port interface ge-0/0/1.0 mac-limit 4
set ethernet-switching-options secure-access-port interface ge-0/0/1.0 static-ip 10.0.48.5 vlan VLAN.13 mac aa:bb:cc:00:00:01
set ethernet-switching-options secure-access-port interface ge-0/0/2.0 static-ip 10.0.48.9 vlan VLAN.13 mac aa:bb:cc:00:00:02`;

const desired: PortBindings[] = [
  {
    interface: "ge-0/0/1.0",
    bindings: [
      parseBinding({ ip: "10.0.48.5", mac: "aa:bb:cc:00:00:01", vlan: "VLAN.13" }),
      parseBinding({ ip: "10.0.48.6", mac: "02:00:0a:00:30:06", vlan: "VLAN.13" }),
    ],
  },
  { interface: "ge-0/0/2.0", bindings: [parseBinding({ ip: "10.0.48.9", mac: "aa:bb:cc:00:00:02", vlan: "VLAN.13" })] },
];

let lab: Lab;
let n = 0;

beforeAll(async () => {
  lab = await startLab({});
});
afterAll(() => lab.close());

/** A fresh lab switch per test: unique name, its own port, key and config. */
async function newSwitch(dialect: JunosDialect = "non-els", initialConfig = BASE): Promise<LabSwitch> {
  const { startLabSwitch } = await import("@/lab/junos/ssh-switch");
  const sw = await startLabSwitch({ name: `sw-${process.pid}-${++n}`, dialect, initialConfig, timeScale: 60 });
  afterAll(() => sw.close());
  return sw;
}

const targetOf = (sw: LabSwitch): JunosTarget => ({
  host: sw.host,
  port: sw.port,
  username: sw.username,
  password: sw.password,
  hostKeyFingerprint: sw.hostKeyFingerprint,
});

async function push(sw: LabSwitch, overrides: Partial<PushOptions> = {}) {
  const session = await openJunosSession(targetOf(sw), { commandTimeoutMs: 5_000 });
  const backups: Array<{ text: string; commandsSoFar: number }> = [];
  try {
    const history = await readCommitHistory(session);
    const outcome = await pushBindings(session, {
      history,
      resumableChangeIds: [],
      dialect: "non-els",
      group: "sankofa",
      desired,
      changeId: "chg-test-1",
      confirmMinutes: 1,
      onBackup: async (text) => void backups.push({ text, commandsSoFar: session.cli.transcript.length }),
      ...overrides,
    });
    return { outcome, backups, transcript: session.cli.transcript.map((t) => t.command) };
  } finally {
    await session.close();
  }
}

const bindingsOn = (sw: LabSwitch, iface: string, dialect: JunosDialect = "non-els") =>
  parseBindingsFromDisplaySet(sw.state.displaySet(), dialect).ports.get(iface) ?? [];

async function expectJunosError(p: Promise<unknown>, kind: string): Promise<JunosError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(JunosError);
  expect((e as JunosError).kind).toBe(kind);
  return e as JunosError;
}

describe("pushing bindings to a lab switch over SSH", () => {
  it("backs up first, then runs the whole push in order, touching only the changed port", async () => {
    const sw = await newSwitch();
    const { outcome, backups, transcript } = await push(sw);
    expect(outcome.status).toBe("committed");
    expect(backups).toHaveLength(1);
    expect(backups[0]!.text).toContain("static-ip 10.0.48.5");
    expect(backups[0]!.commandsSoFar).toBe(4); // screen-length, screen-width, the history, the backup itself
    expect(transcript).toEqual([
      "set cli screen-length 0",
      "set cli screen-width 0",
      "show system commit",
      "show configuration | display set",
      "configure exclusive",
      "delete ethernet-switching-options secure-access-port interface ge-0/0/1.0 static-ip",
      "set ethernet-switching-options secure-access-port interface ge-0/0/1.0 static-ip 10.0.48.5 vlan VLAN.13 mac aa:bb:cc:00:00:01",
      "set ethernet-switching-options secure-access-port interface ge-0/0/1.0 static-ip 10.0.48.6 vlan VLAN.13 mac 02:00:0a:00:30:06",
      "show | compare",
      "commit check",
      "commit confirmed 1 comment chg-test-1",
      "run show configuration | display set",
      "commit comment chg-test-1",
      "exit",
    ]);
    expect(bindingsOn(sw, "ge-0/0/1.0")).toEqual(desired[0]!.bindings);
    expect(sw.state.displaySet()).toContain("interface ge-0/0/1.0 mac-limit 4");
    expect(sw.state.isAwaitingConfirmation).toBe(false);
    expect(sw.state.commits.map((c) => c.kind)).toEqual(["confirmed", "commit"]);
  });

  it("opens no configuration session when every port already matches", async () => {
    const sw = await newSwitch();
    await push(sw);
    const again = await push(sw);
    expect(again.outcome.status).toBe("unchanged");
    expect(again.transcript).not.toContain("configure exclusive");
    expect(sw.state.commits).toHaveLength(2);
  });

  it("writes ELS bindings on an ELS switch", async () => {
    const sw = await newSwitch("els", "set system host-name els\nset vlans VLAN.13 vlan-id 13");
    await push(sw, { dialect: "els" });
    expect(bindingsOn(sw, "ge-0/0/1.0", "els")).toEqual(desired[0]!.bindings);
    expect(sw.state.displaySet()).toContain(
      "set vlans VLAN.13 forwarding-options dhcp-security group sankofa interface ge-0/0/1.0 static-ip 10.0.48.6 mac 02:00:0a:00:30:06",
    );
  });

  it("a syntax error (non-ELS commands on an ELS switch) rolls back and leaves the switch as it was", async () => {
    const sw = await newSwitch("els", "set system host-name els");
    const before = sw.state.displaySet();
    const e = await expectJunosError(push(sw), "syntax");
    expect(e.switchText).toContain("syntax error.");
    expect(sw.state.displaySet()).toBe(before);
    expect(sw.state.hasUncommittedChanges).toBe(false);
  });

  it("a held lock is a retryable error naming the holder", async () => {
    const sw = await newSwitch();
    sw.setFaults({ lockHeldBy: "noc-alice" });
    const e = await expectJunosError(push(sw), "lock");
    expect(e.message).toContain("noc-alice");
    expect(e.isRetryable).toBe(true);
    expect(sw.state.commits).toEqual([]);
  });

  it("refused credentials fail at once, before anything is read", async () => {
    const sw = await newSwitch();
    sw.setFaults({ refuseAuth: true });
    const e = await expectJunosError(push(sw), "auth");
    expect(e.isRetryable).toBe(false);
  });

  it("a changed host key refuses to connect", async () => {
    const sw = await newSwitch();
    const pinned = sw.hostKeyFingerprint;
    await sw.replaceHostKey();
    const e = await expectJunosError(openJunosSession({ ...targetOf(sw), hostKeyFingerprint: pinned }), "host-key");
    expect(e.message).toContain(sw.hostKeyFingerprint);
    expect(sw.state.sessionsOpened).toBe(0);
  });

  it("a commit error keeps the switch as it was and carries the switch's words", async () => {
    const sw = await newSwitch();
    const before = sw.state.displaySet();
    sw.setFaults({ commitError: "Duplicate static IP 10.0.48.6" });
    const e = await expectJunosError(push(sw), "commit");
    expect(e.message).toContain("Duplicate static IP 10.0.48.6");
    expect(sw.state.displaySet()).toBe(before);
    expect(sw.state.hasUncommittedChanges).toBe(false);
  });

  it("aborts when the candidate holds changes outside the plan (guard), committing nothing", async () => {
    const sw = await newSwitch();
    const before = sw.state.displaySet();
    sw.setFaults({ candidateLeftovers: ["set system host-name hijacked"] });
    const e = await expectJunosError(push(sw), "guard");
    expect(e.message).toContain("system host-name hijacked");
    expect(sw.state.displaySet()).toBe(before);
    expect(sw.state.commits).toEqual([]);
  });

  it("a connection lost after commit confirmed: the switch rolls back by itself when nobody confirms, and the retry converges", async () => {
    const sw = await newSwitch();
    const before = sw.state.displaySet();
    sw.setFaults({ dropAt: { command: "commit confirmed", phase: "after" } });
    await expectJunosError(push(sw), "connection");
    expect(sw.state.isAwaitingConfirmation).toBe(true);
    await expect.poll(() => sw.state.isAwaitingConfirmation, { timeout: 3_000 }).toBe(false);
    expect(sw.state.displaySet()).toBe(before);
    expect(sw.state.commits.map((c) => c.kind)).toEqual(["confirmed", "rollback-timeout"]);

    expect((await push(sw)).outcome.status).toBe("committed");
    expect(bindingsOn(sw, "ge-0/0/1.0")).toEqual(desired[0]!.bindings);
  });
});

describe("a switch that hangs", () => {
  it("cannot hold the push past the command timeout: a timeout error, the candidate discarded, the session closed", async () => {
    const sw = await newSwitch();
    const before = sw.state.displaySet();
    sw.setFaults({ stallAfter: "show | compare" });
    const session = await openJunosSession(targetOf(sw), { commandTimeoutMs: 400 });
    try {
      const e = await pushBindings(session, {
        history: await readCommitHistory(session),
        resumableChangeIds: [],
        dialect: "non-els",
        group: "sankofa",
        desired,
        changeId: "chg-hang",
        confirmMinutes: 1,
        onBackup: async () => {},
      }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toMatchObject({ kind: "timeout", isChangeOnTrial: false });
      expect((e as Error).message).toContain("show | compare");
    } finally {
      await session.close();
    }
    await expect.poll(() => sw.state.openSessions, { timeout: 3_000 }).toBe(0);
    expect(sw.state.displaySet()).toBe(before);
    expect(sw.state.hasUncommittedChanges).toBe(false);
    expect(sw.state.lockHolder).toBeUndefined();
  });
});

describe("a session lost after commit confirmed", () => {
  // The bug this guards: the retry read `show configuration` (which shows the change on trial as
  // active), found it equal to the plan, stopped, and the switch rolled the port back at the timer.
  for (const [step, fault] of [
    ["right after commit confirmed", { command: "commit confirmed", phase: "after" }],
    ["after the read-back", { command: "run show configuration", phase: "after" }],
    ["before the final commit reached the switch", { command: "commit comment", phase: "before" }],
  ] as const) {
    it(`${step}: the next run finds its commit pending, confirms it, and the change outlives the timer`, async () => {
      const sw = await newSwitch();
      sw.setFaults({ dropAt: fault });
      await expectJunosError(push(sw), "connection");
      expect(sw.state.isAwaitingConfirmation).toBe(true);

      const retry = await push(sw, { changeId: "chg-test-2", resumableChangeIds: ["chg-test-1"] });
      expect(retry.outcome).toMatchObject({ status: "confirmed-after-reconnect", confirmedChangeId: "chg-test-1" });
      expect(retry.transcript).toContain("commit comment chg-test-1-confirm");
      expect(retry.transcript).not.toContain("commit check");
      expect(sw.state.isAwaitingConfirmation).toBe(false);
      // Past the timer (1 lab minute = 1 s here): nothing rolls back.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(bindingsOn(sw, "ge-0/0/1.0")).toEqual(desired[0]!.bindings);
      expect(sw.state.commits.map((c) => `${c.kind}:${c.comment}`)).toEqual(["confirmed:chg-test-1", "commit:chg-test-1-confirm"]);
    });
  }

  it("after the final commit ran: the change stands, and the next run has nothing to do", async () => {
    const sw = await newSwitch();
    sw.setFaults({ dropAt: { command: "commit comment", phase: "after" } });
    await expectJunosError(push(sw), "connection");
    expect(sw.state.isAwaitingConfirmation).toBe(false);
    const retry = await push(sw, { changeId: "chg-test-2", resumableChangeIds: ["chg-test-1"] });
    expect(retry.outcome.status).toBe("unchanged");
    expect(sw.state.commits.map((c) => c.kind)).toEqual(["confirmed", "commit"]);
  });

  it("a pending confirmed commit that is not ours is never stacked on or confirmed: the run waits for its rollback", async () => {
    const sw = await newSwitch();
    const before = sw.state.displaySet();
    sw.setFaults({ dropAt: { command: "commit confirmed", phase: "after" } });
    await expectJunosError(push(sw, { changeId: "chg-someone-else" }), "connection");

    const e = await expectJunosError(push(sw, { changeId: "chg-test-2", resumableChangeIds: ["chg-test-1"] }), "pending-confirm");
    expect(e.message).toContain("chg-someone-else");
    expect(e.rollbackInMinutes).toBe(1);
    expect(sw.state.commits).toHaveLength(1); // no commit check (it would confirm), no commit
    await expect.poll(() => sw.state.isAwaitingConfirmation, { timeout: 3_000 }).toBe(false);
    expect(sw.state.displaySet()).toBe(before);
    expect((await push(sw, { changeId: "chg-test-3" })).outcome.status).toBe("committed");
  });

  it("ours, but the plan has changed since: it is not confirmed, and the run waits for the rollback", async () => {
    const sw = await newSwitch();
    sw.setFaults({ dropAt: { command: "commit confirmed", phase: "after" } });
    await expectJunosError(push(sw), "connection");
    const moved: PortBindings[] = [{ interface: "ge-0/0/1.0", bindings: [parseBinding({ ip: "10.0.48.7", mac: "02:00:0a:00:30:07", vlan: "VLAN.13" })] }];
    const e = await expectJunosError(push(sw, { changeId: "chg-test-2", resumableChangeIds: ["chg-test-1"], desired: moved }), "pending-confirm");
    expect(e.message).toContain("ge-0/0/1.0");
    await expect.poll(() => sw.state.isAwaitingConfirmation, { timeout: 3_000 }).toBe(false);
    expect((await push(sw, { changeId: "chg-test-3", desired: moved })).outcome.status).toBe("committed");
    expect(bindingsOn(sw, "ge-0/0/1.0").map((b) => b.ip)).toEqual(["10.0.48.7"]);
  });
});

describe("logging in to a switch", () => {
  it("works with keyboard-interactive only (as Junos offers it) and with a key", async () => {
    const { startLabSwitch } = await import("@/lab/junos/ssh-switch");
    const ssh2 = (await import("ssh2")).default;
    const keys = ssh2.utils.generateKeyPairSync("ecdsa", { bits: 256 });
    const kbd = await startLabSwitch({ name: `kbd-${process.pid}`, dialect: "non-els", authMethods: ["keyboard-interactive"] });
    const key = await startLabSwitch({ name: `key-${process.pid}`, dialect: "non-els", authMethods: ["publickey"], authorizedKeys: [keys.public] });
    afterAll(() => Promise.all([kbd.close(), key.close()]));

    const viaKbd = await openJunosSession(targetOf(kbd));
    expect(await viaKbd.run("show version")).toContain("Model: ex4200");
    await viaKbd.close();

    const viaKey = await openJunosSession({ ...targetOf(key), password: undefined, privateKey: keys.private });
    expect(await viaKey.run("show version")).toContain(`Hostname: ${key.name}`);
    await viaKey.close();

    await expectJunosError(
      openJunosSession({ ...targetOf(key), password: undefined, privateKey: ssh2.utils.generateKeyPairSync("ecdsa", { bits: 256 }).private }),
      "auth",
    );
  });

  it("leaves out a binding on a VLAN the switch does not define instead of failing every port's commit", async () => {
    const sw = await newSwitch();
    const { outcome } = await push(sw, {
      desired: [
        {
          interface: "ge-0/0/3.0",
          bindings: [
            parseBinding({ ip: "10.0.48.30", mac: "02:00:0a:00:30:1e", vlan: "VLAN.13" }),
            parseBinding({ ip: "10.77.0.5", mac: "02:00:0a:4d:00:05", vlan: "VLAN.777" }),
          ],
        },
      ],
    });
    expect(outcome.status).toBe("committed");
    expect(outcome.plan.skipped).toEqual([{ interface: "ge-0/0/3.0", ip: "10.77.0.5", reason: "VLAN VLAN.777 is not defined on the switch" }]);
    expect(
      parseBindingsFromDisplaySet(sw.state.displaySet(), "non-els")
        .ports.get("ge-0/0/3.0")!
        .map((b) => b.ip),
    ).toEqual(["10.0.48.30"]);
  });
});
