"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

interface Values {
  vlanAllowlist: string;
  backupSchedule: string;
  backupRetentionDays: string;
  auditRetentionDays: string;
  vmacPrefix: string;
  vmacQuarantineDays: string;
  isSecondApprovalRequired: "required" | "off";
  inventorySchedule: string;
  isDriftAutoRepairOn: "on" | "off";
}

export function SettingsForm({ initial, canEdit }: { initial: Values; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        router.refresh();
      },
      onMutate: () => setSaved(false),
    }),
  );
  const field = update.error?.data?.field;

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    update.mutate({
      vlanAllowlist: String(data.get("vlanAllowlist") ?? ""),
      backupSchedule: String(data.get("backupSchedule") ?? ""),
      backupRetentionDays: String(data.get("backupRetentionDays") ?? ""),
      auditRetentionDays: String(data.get("auditRetentionDays") ?? ""),
      vmacPrefix: String(data.get("vmacPrefix") ?? ""),
      vmacQuarantineDays: String(data.get("vmacQuarantineDays") ?? ""),
      isSecondApprovalRequired: data.get("isSecondApprovalRequired") === "off" ? "off" : "required",
      inventorySchedule: String(data.get("inventorySchedule") ?? ""),
      isDriftAutoRepairOn: data.get("isDriftAutoRepairOn") === "on" ? "on" : "off",
      ticketId: String(data.get("ticketId") ?? ""),
    });
  }

  return (
    <form onSubmit={onSubmit}>
      <Card className="max-w-2xl">
        <CardHeader>
          <CardTitle>Port security and backups</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-5">
          <div className="grid gap-1.5">
            <Label htmlFor="vlanAllowlist">VLAN allowlist</Label>
            <Input
              id="vlanAllowlist"
              name="vlanAllowlist"
              defaultValue={initial.vlanAllowlist}
              disabled={!canEdit}
              placeholder="empty = every VLAN"
              aria-invalid={field === "vlanAllowlist"}
            />
            <p className="text-muted-foreground text-xs">Comma-separated VLAN IDs (1–4094). Bindings on other VLANs are skipped. Empty allows every VLAN.</p>
            {field === "vlanAllowlist" && (
              <p className="text-destructive text-sm" role="alert">
                {update.error?.message}
              </p>
            )}
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="backupSchedule">Backup schedule</Label>
            <Input
              id="backupSchedule"
              name="backupSchedule"
              defaultValue={initial.backupSchedule}
              disabled={!canEdit}
              className="font-mono"
              aria-invalid={field === "backupSchedule"}
            />
            <p className="text-muted-foreground text-xs">Cron, five fields (minute hour day month weekday), UTC. Default: daily at 03:00.</p>
            {field === "backupSchedule" && (
              <p className="text-destructive text-sm" role="alert">
                {update.error?.message}
              </p>
            )}
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="auditRetentionDays">Audit retention (days)</Label>
            <Input
              id="auditRetentionDays"
              name="auditRetentionDays"
              defaultValue={initial.auditRetentionDays}
              disabled={!canEdit}
              className="max-w-32"
              aria-invalid={field === "auditRetentionDays"}
            />
            <p className="text-muted-foreground text-xs">Older audit rows are pruned daily (30 days at least).</p>
            {field === "auditRetentionDays" && (
              <p className="text-destructive text-sm" role="alert">
                {update.error?.message}
              </p>
            )}
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="backupRetentionDays">Backup retention (days)</Label>
            <Input
              id="backupRetentionDays"
              name="backupRetentionDays"
              defaultValue={initial.backupRetentionDays}
              disabled={!canEdit}
              className="max-w-32"
              aria-invalid={field === "backupRetentionDays"}
            />
            <p className="text-muted-foreground text-xs">Older backups are pruned daily; each switch keeps its newest 10 regardless.</p>
            {field === "backupRetentionDays" && (
              <p className="text-destructive text-sm" role="alert">
                {update.error?.message}
              </p>
            )}
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="vmacPrefix">VMAC prefix</Label>
            <Input
              id="vmacPrefix"
              name="vmacPrefix"
              defaultValue={initial.vmacPrefix}
              disabled={!canEdit}
              className="max-w-32 font-mono"
              aria-invalid={field === "vmacPrefix"}
            />
            <p className="text-muted-foreground text-xs">Two octets, locally administered and unicast (02:00 gives 02:00 + the IPv4 octets).</p>
            {field === "vmacPrefix" && (
              <p className="text-destructive text-sm" role="alert">
                {update.error?.message}
              </p>
            )}
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="vmacQuarantineDays">VMAC quarantine (days)</Label>
            <Input
              id="vmacQuarantineDays"
              name="vmacQuarantineDays"
              defaultValue={initial.vmacQuarantineDays}
              disabled={!canEdit}
              className="max-w-32"
              aria-invalid={field === "vmacQuarantineDays"}
            />
            <p className="text-muted-foreground text-xs">A released VMAC is not given to another server for this long (0 = no quarantine).</p>
            {field === "vmacQuarantineDays" && (
              <p className="text-destructive text-sm" role="alert">
                {update.error?.message}
              </p>
            )}
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="isSecondApprovalRequired">Second admin for destructive changes</Label>
            <select
              id="isSecondApprovalRequired"
              name="isSecondApprovalRequired"
              defaultValue={initial.isSecondApprovalRequired}
              disabled={!canEdit}
              className="border-input h-9 max-w-48 rounded-md border bg-transparent px-2 text-sm"
            >
              <option value="required">required</option>
              <option value="off">off</option>
            </select>
            <p className="text-muted-foreground text-xs">
              Removing bindings from a port by hand, or releasing a VMAC, waits on Approvals until another admin approves.
            </p>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="isDriftAutoRepairOn">Repair switch drift automatically</Label>
            <select
              id="isDriftAutoRepairOn"
              name="isDriftAutoRepairOn"
              defaultValue={initial.isDriftAutoRepairOn}
              disabled={!canEdit}
              className="border-input h-9 max-w-48 rounded-md border bg-transparent px-2 text-sm"
            >
              <option value="off">off</option>
              <option value="on">on</option>
            </select>
            <p className="text-muted-foreground text-xs">
              When a drift check finds a managed port changed by hand, push it back at once (off: the switch page offers Repair to an admin).
            </p>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="inventorySchedule">Inventory collection schedule</Label>
            <Input
              id="inventorySchedule"
              name="inventorySchedule"
              defaultValue={initial.inventorySchedule}
              disabled={!canEdit}
              className="font-mono"
              aria-invalid={field === "inventorySchedule"}
            />
            <p className="text-muted-foreground text-xs">Cron, five fields, UTC: when the live inventory is read from Proxmox. Default: Mondays at 04:00.</p>
            {field === "inventorySchedule" && (
              <p className="text-destructive text-sm" role="alert">
                {update.error?.message}
              </p>
            )}
          </div>
          {canEdit && (
            <div className="grid gap-1.5">
              <Label htmlFor="ticketId">Ticket (optional)</Label>
              <Input id="ticketId" name="ticketId" placeholder="e.g. OPS-1234" className="max-w-48" />
            </div>
          )}
          {update.error && !field && (
            <Alert variant="destructive">
              <AlertDescription role="alert">{update.error.message}</AlertDescription>
            </Alert>
          )}
          {saved && update.data?.status === "pending" && (
            <p className="text-sm" role="status">
              Waits for a second admin on /it/approvals: {update.data.summary}.
            </p>
          )}
          {saved && update.data?.status === "applied" && (
            <p className="text-sm" role="status">
              Saved.
            </p>
          )}
        </CardContent>
        {canEdit ? (
          <CardFooter>
            <Button type="submit" disabled={update.isPending}>
              {update.isPending ? "Saving…" : "Save settings"}
            </Button>
          </CardFooter>
        ) : (
          <CardFooter className="text-muted-foreground text-sm">Read-only: only IT admins can change settings.</CardFooter>
        )}
      </Card>
    </form>
  );
}
