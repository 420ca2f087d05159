import { Time } from "@/components/ui/time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, TableEmpty } from "@/components/ui/table";
import type { Binding } from "@/lib/junos/bindings";
import { describeSource, type LeftOut, type PlanFlag } from "@/lib/port-security/plan";
import type { PortPlanView } from "@/server/services/port-state/switch-plan";

const show = (b: Pick<Binding, "ip" | "mac" | "vlan">) => `${b.ip} · ${b.mac} · ${b.vlan}`;

/** One port's plan as the server computes it (the switch page and Apply All show the same). */
export type PortPlanRow = PortPlanView;

/** What was left out of a port, each with the rule that left it out. */
export function LeftOutList({ leftOut, flags }: { leftOut: LeftOut[]; flags: PlanFlag[] }) {
  if (leftOut.length === 0 && flags.length === 0) return null;
  return (
    <ul className="grid gap-0.5 text-xs">
      {leftOut.map((s, i) => (
        <li key={`s${i}`} data-testid="plan-left-out">
          <Badge variant={s.rule === "duplicate" ? "destructive" : "outline"}>{s.rule === "duplicate" ? "duplicate: skipped" : `skipped: ${s.rule}`}</Badge>{" "}
          {s.subject}: {s.reason}
        </li>
      ))}
      {flags
        .filter((f) => f.kind !== "claimed-twice")
        .map((f, i) => (
          <li key={`f${i}`} data-testid="plan-flag">
            <Badge variant="warning">{f.kind}</Badge> {f.subject}: {f.reason}
          </li>
        ))}
    </ul>
  );
}

/**
 * Every managed port of a switch from the one plan: desired bindings with their source, what the
 * latest backup holds, the difference a push would make, and what was left out and why.
 */
export function PortPlanTable({ ports, currentAsOf }: { ports: PortPlanRow[]; currentAsOf: Date | null }) {
  return (
    <Table data-testid="port-plan">
      <TableHeader>
        <TableRow>
          <TableHead>Port</TableHead>
          <TableHead>Desired (IP · MAC · VLAN — from)</TableHead>
          <TableHead>
            On the switch
            {currentAsOf ? (
              <>
                {" "}
                (backup <Time value={currentAsOf} precision="minute" />)
              </>
            ) : (
              " (no backup yet)"
            )}
          </TableHead>
          <TableHead>Difference</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {ports.length === 0 && <TableEmpty colSpan={4}>No port of this switch is managed here yet.</TableEmpty>}
        {ports.map((p) => (
          <TableRow key={p.interface} data-testid={`plan-port-${p.interface}`}>
            <TableCell className="align-top font-mono text-xs">
              {p.interface}
              <div className="text-muted-foreground font-sans">{p.source === "panel" ? "panel (Tenantos, Proxmox)" : p.source}</div>
            </TableCell>
            <TableCell className="align-top text-xs">
              {p.unknownReason ? (
                <span className="text-muted-foreground">no answer now: {p.unknownReason}</span>
              ) : p.desired.length === 0 ? (
                <span className="text-muted-foreground">none</span>
              ) : (
                <ul className="grid gap-0.5">
                  {p.desired.map((b) => (
                    <li key={b.ip} data-testid="plan-binding">
                      <span className="font-mono">{show(b)}</span> <span className="text-muted-foreground">— {describeSource(b.source)}</span>
                    </li>
                  ))}
                </ul>
              )}
              <LeftOutList leftOut={p.leftOut} flags={p.flags} />
            </TableCell>
            <TableCell className="align-top font-mono text-xs">
              {p.current === null ? "not known" : p.current.length === 0 ? "nothing" : p.current.map((b) => <div key={b.ip}>{show(b)}</div>)}
            </TableCell>
            <TableCell className="align-top font-mono text-xs">
              {p.adds.length === 0 && p.removes.length === 0 ? (
                <span className="text-muted-foreground font-sans">{p.unknownReason ? "left as it is" : "unchanged"}</span>
              ) : (
                <>
                  {p.adds.map((b) => (
                    <div key={`a${b.ip}`}>+ {show(b)}</div>
                  ))}
                  {p.removes.map((b) => (
                    <div key={`r${b.ip}${b.mac}`}>− {show(b)}</div>
                  ))}
                </>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
