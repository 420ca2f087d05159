import { Time } from "@/components/ui/time";
import type { Binding } from "@/lib/junos/bindings";
import { describeSource, type PlannedBinding } from "@/lib/port-security/plan";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { PortPreview } from "@/server/services/port-security/preview";
import { PushNowButton } from "./push-now-button";

/** Where a binding comes from, read from the plan (the same one the push uses). */
function sourceOf(b: Binding, desired: readonly PlannedBinding[], change: "add" | "remove" | "keep"): string {
  if (change === "remove") return "on the switch, not in the plan: removed";
  const planned = desired.find((d) => d.ip === b.ip && d.mac === b.mac);
  return planned ? describeSource(planned.source) : "";
}

function BindingRows({ rows, change, desired }: { rows: Binding[]; change: "add" | "remove" | "keep"; desired: readonly PlannedBinding[] }) {
  const sign = { add: "+", remove: "−", keep: " " }[change];
  const tone = { add: "text-green-700 dark:text-green-400", remove: "text-destructive", keep: "text-muted-foreground" }[change];
  return rows.map((b) => (
    <TableRow key={`${change}:${b.ip}`} data-change={change}>
      <TableCell className={`font-mono ${tone}`}>
        {sign} {b.ip}
      </TableCell>
      <TableCell className="font-mono">{b.mac}</TableCell>
      <TableCell>{b.vlan}</TableCell>
      <TableCell className="text-xs" data-testid="preview-source">
        {sourceOf(b, desired, change)}
      </TableCell>
    </TableRow>
  ));
}

/** The bindings a push would leave on the port, how that differs from the switch, and what was skipped. */
export function PortPreviewCard({ preview, canPush }: { preview: PortPreview; canPush: boolean }) {
  const { target } = preview;
  return (
    <Card data-testid="port-preview">
      <CardHeader>
        <CardTitle>
          Port-security preview · server {preview.serverId}
          {preview.serverName ? ` (${preview.serverName})` : ""}
        </CardTitle>
        <CardDescription>
          {target ? (
            <>
              {target.kind === "vm-node" ? `Proxmox node ${target.proxmoxNode}: every VM's binding on its uplink` : "Dedicated server: PXE MAC and VMACs"} ·
              switch {target.switchName} · <span className="font-mono">{target.interface}</span>
            </>
          ) : (
            "Not automated"
          )}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {preview.blockedReason && (
          <p className="text-destructive text-sm" role="alert" data-testid="preview-blocked">
            {preview.blockedReason}
          </p>
        )}
        {target && (
          <>
            <div>
              <h3 className="mb-1 text-sm font-medium">
                Change against the switch{" "}
                {preview.currentAsOf ? (
                  <span className="text-muted-foreground font-normal">
                    (its latest backup, <Time value={preview.currentAsOf} />)
                  </span>
                ) : (
                  <Badge variant="outline">no backup yet: showing what would be pushed</Badge>
                )}
              </h3>
              <Table data-testid="preview-bindings">
                <TableHeader>
                  <TableRow>
                    <TableHead>IP</TableHead>
                    <TableHead>MAC</TableHead>
                    <TableHead>VLAN</TableHead>
                    <TableHead>Source</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {preview.diff ? (
                    <>
                      <BindingRows rows={preview.diff.added} change="add" desired={preview.desired} />
                      <BindingRows rows={preview.diff.removed} change="remove" desired={preview.desired} />
                      <BindingRows rows={preview.diff.kept} change="keep" desired={preview.desired} />
                    </>
                  ) : (
                    <BindingRows rows={preview.desired} change="add" desired={preview.desired} />
                  )}
                  {preview.desired.length === 0 && !preview.diff?.removed.length && (
                    <TableEmpty colSpan={4}>No bindings: the port would be left empty.</TableEmpty>
                  )}
                </TableBody>
              </Table>
              {preview.diff && preview.diff.added.length === 0 && preview.diff.removed.length === 0 && (
                <p className="text-muted-foreground mt-1 text-sm" data-testid="preview-in-sync">
                  In sync: a push would change nothing.
                </p>
              )}
            </div>
            {preview.flags.length > 0 && (
              <div data-testid="preview-flags">
                <h3 className="mb-1 text-sm font-medium">Flagged ({preview.flags.length})</h3>
                <ul className="grid gap-1 text-sm">
                  {preview.flags.map((f) => (
                    <li key={`${f.kind}:${f.subject}`}>
                      <Badge variant="outline">{f.kind}</Badge> <span className="font-mono text-xs">{f.subject}</span>: {f.reason}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {preview.description.desired && (
              <p className="text-sm" data-testid="preview-description">
                Interface description: <span className="font-mono">{preview.description.desired}</span>
                {preview.description.current === preview.description.desired
                  ? " (already set)"
                  : preview.description.current
                    ? ` (replaces ${preview.description.current})`
                    : " (new)"}
              </p>
            )}
            <div>
              <h3 className="mb-1 text-sm font-medium">Skipped ({preview.skipped.length})</h3>
              <Table data-testid="preview-skipped">
                <TableHeader>
                  <TableRow>
                    <TableHead>What</TableHead>
                    <TableHead>Why</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {preview.skipped.map((s) => (
                    <TableRow key={s.subject}>
                      <TableCell className="font-mono text-xs">{s.subject}</TableCell>
                      <TableCell>{s.reason}</TableCell>
                    </TableRow>
                  ))}
                  {preview.skipped.length === 0 && <TableEmpty colSpan={2}>Nothing skipped.</TableEmpty>}
                </TableBody>
              </Table>
            </div>
            {canPush ? <PushNowButton serverId={preview.serverId} /> : <p className="text-muted-foreground text-sm">Only IT admins can push.</p>}
          </>
        )}
      </CardContent>
    </Card>
  );
}
