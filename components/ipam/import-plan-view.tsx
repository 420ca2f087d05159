import { Badge } from "@/components/ui/badge";
import type { ImportAction, ImportPlanRow } from "@/lib/ipam/import-plan";

const BADGE: Record<ImportAction, "success" | "secondary" | "outline" | "destructive"> = {
  create: "success",
  update: "secondary",
  unchanged: "outline",
  conflict: "destructive",
};
// Conflicts first: they are what an admin must read before confirming.
const ORDER: ImportAction[] = ["conflict", "create", "update", "unchanged"];

/** An import's plan: counts, then each row with what will happen to it and why. */
export function ImportPlanView({ plan, max = 200 }: { plan: { rows: ImportPlanRow[]; counts: Record<ImportAction, number> }; max?: number }) {
  const rows = [...plan.rows].sort((a, b) => ORDER.indexOf(a.action) - ORDER.indexOf(b.action));
  return (
    <div className="grid gap-2 text-sm" data-testid="import-plan">
      <p role="status">
        Plan: {plan.counts.create} to create, {plan.counts.update} to update, {plan.counts.unchanged} unchanged, {plan.counts.conflict} conflicts.
      </p>
      <ul tabIndex={0} className="max-h-72 overflow-auto text-xs">
        {rows.slice(0, max).map((r, i) => (
          <li key={i} className="flex gap-2 py-0.5">
            <Badge variant={BADGE[r.action]}>{r.action}</Badge>
            <span className="font-mono">{r.key}</span>
            {r.line !== null && <span className="text-muted-foreground">line {r.line}</span>}
            <span>{r.reason}</span>
          </li>
        ))}
        {rows.length > max && <li className="text-muted-foreground">and {rows.length - max} more rows</li>}
      </ul>
    </div>
  );
}
