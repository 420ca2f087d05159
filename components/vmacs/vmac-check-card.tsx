import { Time } from "@/components/ui/time";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { VmacDisagreement } from "@/lib/port-security/vmac-check";

export function VmacCheckCard({ check }: { check: { disagreements: VmacDisagreement[]; errors: string[]; checkedAt: Date } }) {
  const { disagreements, errors } = check;
  return (
    <Card data-testid="vmac-check">
      <CardHeader>
        <CardTitle>Agreement check</CardTitle>
        <CardDescription>
          Active VMACs against Proxmox guests&apos; netN MACs and the switches&apos; bindings (their latest backups), checked <Time value={check.checkedAt} />.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {errors.map((e) => (
          <Alert key={e} variant="destructive">
            <AlertDescription>{e}</AlertDescription>
          </Alert>
        ))}
        {disagreements.length === 0 ? (
          <p className="text-sm">Every active VMAC agrees with what Proxmox configures and the switches bind.</p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>IP</TableHead>
                <TableHead>VMAC</TableHead>
                <TableHead>Disagrees with</TableHead>
                <TableHead>Which uses MAC</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {disagreements.map((d) => (
                <TableRow key={`${d.ip}:${d.source}:${d.where}`}>
                  <TableCell className="font-mono">{d.ip}</TableCell>
                  <TableCell className="font-mono">{d.vmac}</TableCell>
                  <TableCell>
                    {d.source === "proxmox" ? "Proxmox" : "Switch"} · {d.where}
                  </TableCell>
                  <TableCell className="text-destructive font-mono">{d.mac}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
