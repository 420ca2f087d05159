import { Time } from "@/components/ui/time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow, TableEmpty } from "@/components/ui/table";
import type { Binding } from "@/lib/junos/bindings";
import type { PortDrift } from "@/lib/junos/drift";

const show = (bs: Binding[]) => bs.map((b) => `${b.ip} · ${b.mac} · ${b.vlan}`).join("; ");

interface Props {
  ports: Array<{ interface: string; bindings: Binding[]; updatedAt: Date; updatedBy: string }>;
  drift: { checkedAt: Date; error: string | null; ports: PortDrift[] } | null;
}

/** Desired bindings per port, beside what the last drift check found on the switch. */
export function PortsTable({ ports, drift }: Props) {
  const byPort = new Map((drift?.ports ?? []).map((d) => [d.interface, d]));
  const unmanaged = (drift?.ports ?? []).filter((d) => !d.isManaged);
  // Panel-managed ports have no manual row: they show here when the last check found them off (or unreadable).
  const manualPorts = new Set(ports.map((p) => p.interface));
  const fromPanel = (drift?.ports ?? []).filter((d) => d.isManaged && !manualPorts.has(d.interface));
  const onSwitch = (iface: string) => {
    if (!drift) return <span className="text-muted-foreground">not checked</span>;
    if (drift.error) return <span className="text-destructive">check failed</span>;
    const d = byPort.get(iface);
    if (!d) return "in sync";
    if (d.unknownReason) return <span className="text-muted-foreground">not compared: {d.unknownReason}</span>;
    return (
      <span className="grid gap-0.5">
        {d.missing.length > 0 && (
          <span>
            <Badge variant="warning">missing</Badge> {show(d.missing)}
          </span>
        )}
        {d.extra.length > 0 && (
          <span>
            <Badge variant="warning">extra</Badge> {show(d.extra)}
          </span>
        )}
      </span>
    );
  };
  return (
    <Table data-testid="ports-table">
      <TableHeader>
        <TableRow>
          <TableHead>Port</TableHead>
          <TableHead>Desired bindings (IP · MAC · VLAN)</TableHead>
          <TableHead>
            On the switch
            {drift ? (
              <>
                {" "}
                (checked <Time value={drift.checkedAt} precision="minute" />)
              </>
            ) : (
              ""
            )}
          </TableHead>
          <TableHead>Set by</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {ports.length === 0 && unmanaged.length === 0 && fromPanel.length === 0 && (
          <TableEmpty colSpan={4}>No manual bindings and no drift found (panel ports are in the plan above).</TableEmpty>
        )}
        {ports.map((p) => (
          <TableRow key={p.interface}>
            <TableCell className="font-mono text-xs">{p.interface}</TableCell>
            <TableCell className="font-mono text-xs">{p.bindings.length === 0 ? "none (wiped)" : show(p.bindings)}</TableCell>
            <TableCell className="font-mono text-xs">{onSwitch(p.interface)}</TableCell>
            <TableCell className="text-xs">
              {p.updatedBy} · <Time value={p.updatedAt} />
            </TableCell>
          </TableRow>
        ))}
        {fromPanel.map((d) => (
          <TableRow key={d.interface}>
            <TableCell className="font-mono text-xs">{d.interface}</TableCell>
            <TableCell className="text-muted-foreground text-xs">from the panel (Tenantos, Proxmox)</TableCell>
            <TableCell className="font-mono text-xs">{onSwitch(d.interface)}</TableCell>
            <TableCell className="text-xs">panel</TableCell>
          </TableRow>
        ))}
        {unmanaged.map((d) => (
          <TableRow key={d.interface}>
            <TableCell className="font-mono text-xs">{d.interface}</TableCell>
            <TableCell className="text-muted-foreground text-xs">not managed here</TableCell>
            <TableCell className="font-mono text-xs">
              <Badge variant="warning">extra</Badge> {show(d.extra)}
            </TableCell>
            <TableCell />
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
