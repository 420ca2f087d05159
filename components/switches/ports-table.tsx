import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Binding } from "@/lib/junos/bindings";

export function PortsTable({ ports }: { ports: Array<{ interface: string; bindings: Binding[]; updatedAt: Date; updatedBy: string }> }) {
  return (
    <Table data-testid="ports-table">
      <TableHeader>
        <TableRow>
          <TableHead>Port</TableHead>
          <TableHead>Bindings (IP · MAC · VLAN)</TableHead>
          <TableHead>Set by</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {ports.length === 0 && (
          <TableRow>
            <TableCell colSpan={3} className="text-muted-foreground text-center">No desired bindings yet.</TableCell>
          </TableRow>
        )}
        {ports.map((p) => (
          <TableRow key={p.interface}>
            <TableCell className="font-mono text-xs">{p.interface}</TableCell>
            <TableCell className="font-mono text-xs">
              {p.bindings.length === 0 ? "none (wiped)" : p.bindings.map((b) => `${b.ip} · ${b.mac} · ${b.vlan}`).join("; ")}
            </TableCell>
            <TableCell className="text-xs">{p.updatedBy} · {p.updatedAt.toISOString().slice(0, 19).replace("T", " ")}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
