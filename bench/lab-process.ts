// The benches' switches in their own process, as real switches are not on the controller's CPU.
// Started with fork(): replies to {type: "state"} with each switch's counters and configuration.
import { describeLabSwitchLogin, startLabSwitch, type LabSwitch, type LabSwitchLogin } from "@/lab/junos/ssh-switch";

export type LabProcessSwitch = LabSwitchLogin;

export interface LabProcessState {
  name: string;
  confirmedCommits: number;
  sessionsOpened: number;
  maxConcurrentSessions: number;
  displaySet: string;
}

const count = Number(process.argv[2]);
const commitLatencyMs = Number(process.argv[3]);
const labs: LabSwitch[] = await Promise.all(
  Array.from({ length: count }, (_, i) =>
    startLabSwitch({ name: `bench-${i}`, dialect: "non-els", timeScale: 60, initialConfig: `set system host-name bench-${i}` }),
  ),
);
for (const sw of labs) sw.setFaults({ commitLatencyMs });

process.on("message", (msg: { type: string }) => {
  if (msg.type === "state") {
    const state: LabProcessState[] = labs.map((l) => ({
      name: l.name,
      confirmedCommits: l.state.commits.filter((c) => c.kind === "confirmed").length,
      sessionsOpened: l.state.sessionsOpened,
      maxConcurrentSessions: l.state.maxConcurrentSessions,
      displaySet: l.state.displaySet(),
    }));
    process.send?.({ type: "state", state });
  }
  if (msg.type === "stop") void Promise.all(labs.map((l) => l.close())).then(() => process.exit(0));
});
const ready: LabProcessSwitch[] = labs.map(describeLabSwitchLogin);
process.send?.({ type: "ready", switches: ready });
