import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ProvisioningPlan } from "@/lib/provisioning/plan";

/** A plan as shown before it is requested and on its job: the calls Proxmox gets and every guard check. */
export function PlanView({ plan }: { plan: ProvisioningPlan }) {
  return (
    <div className="grid gap-3">
      <p className="text-sm font-medium">{plan.summary}</p>
      <Table aria-label="Proxmox calls">
        <TableHeader>
          <TableRow>
            <TableHead>Call</TableHead>
            <TableHead>Parameters</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {plan.calls.map((c, i) => (
            <TableRow key={i}>
              <TableCell className="font-mono text-xs">
                {c.method} {c.path}
              </TableCell>
              <TableCell className="font-mono text-xs break-all">
                {Object.entries(c.params)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(" ")}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <ul className="grid gap-1 text-sm" aria-label="Guard checks">
        {plan.checks.map((c) => (
          <li key={c.rule} className="flex items-center gap-2">
            <Badge variant={c.isPassed ? "success" : "destructive"}>{c.isPassed ? "pass" : "fail"}</Badge>
            <span className="font-mono text-xs">{c.rule}</span>
            <span>{c.detail}</span>
          </li>
        ))}
      </ul>
      {plan.approvalReasons.length > 0 && <p className="text-sm">Waits for a second admin: {plan.approvalReasons.join("; ")}.</p>}
    </div>
  );
}
