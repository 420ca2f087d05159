"use client";
import type { ComponentProps, FormEvent } from "react";
import { BANDWIDTH_MODES, type BandwidthMode } from "@/lib/billing/percentile";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { SettingsUpdateStatus, useSettingsUpdate } from "./settings-update";

interface Values {
  vlanAllowlist: string;
  backupSchedule: string;
  backupRetentionDays: string;
  auditRetentionDays: string;
  timelineRetentionDays: string;
  jobRunRetentionDays: string;
  vmacPrefix: string;
  vmacQuarantineDays: string;
  isSecondApprovalRequired: "required" | "off";
  approvalExpiryDays: string;
  inventorySchedule: string;
  isDriftAutoRepairOn: "on" | "off";
  isUnknownVmBound: "bind" | "skip";
  bandwidthBillingMode: BandwidthMode;
}

type ChoiceName = "isSecondApprovalRequired" | "isDriftAutoRepairOn" | "isUnknownVmBound" | "bandwidthBillingMode";
type TextSetting = { name: Exclude<keyof Values, ChoiceName>; label: string; hint: string } & Pick<ComponentProps<typeof Input>, "className" | "placeholder">;
type ChoiceSetting = { name: ChoiceName; label: string; hint: string; options: string[] };
const isChoice = (s: TextSetting | ChoiceSetting): s is ChoiceSetting => "options" in s;

// Every setting, in the order the form shows them.
const SETTINGS: Array<TextSetting | ChoiceSetting> = [
  {
    name: "vlanAllowlist",
    label: "VLAN allowlist",
    hint: "Comma-separated VLAN IDs (1–4094). Bindings on other VLANs are skipped. Empty allows every VLAN.",
    placeholder: "empty = every VLAN",
  },
  {
    name: "backupSchedule",
    label: "Backup schedule",
    hint: "Cron, five fields (minute hour day month weekday), UTC. Default: daily at 03:00.",
    className: "font-mono",
  },
  { name: "auditRetentionDays", label: "Audit retention (days)", hint: "Older audit rows are pruned daily (30 days at least).", className: "max-w-32" },
  {
    name: "timelineRetentionDays",
    label: "Address history retention (days)",
    hint: "Who held an address when: ended periods older than this are pruned daily (30 days at least); current ones always stay.",
    className: "max-w-32",
  },
  {
    name: "jobRunRetentionDays",
    label: "Job history retention (days)",
    hint: "Finished job runs (Jobs page) older than this are pruned daily (1–3650).",
    className: "max-w-32",
  },
  {
    name: "backupRetentionDays",
    label: "Backup retention (days)",
    hint: "Older backups are pruned daily; each switch keeps its newest 10 regardless.",
    className: "max-w-32",
  },
  {
    name: "vmacPrefix",
    label: "VMAC prefix",
    hint: "Two octets, locally administered and unicast (02:00 gives 02:00 + the IPv4 octets).",
    className: "max-w-32 font-mono",
  },
  {
    name: "vmacQuarantineDays",
    label: "VMAC quarantine (days)",
    hint: "A released VMAC is not given to another server for this long (0 = no quarantine).",
    className: "max-w-32",
  },
  {
    name: "isSecondApprovalRequired",
    label: "Second admin for destructive changes",
    hint: "Removing bindings from a port by hand, unmapping a Proxmox node, deleting a switch with its bindings, releasing a bound address, releasing a VMAC, or a settings change that weakens safety or evidence waits on Approvals until another admin approves. The billing mode always waits for finance.",
    options: ["required", "off"],
  },
  {
    name: "approvalExpiryDays",
    label: "Approvals expire after (days)",
    hint: "A request not decided within this many days expires and must be asked again (1–90).",
    className: "max-w-32",
  },
  {
    name: "isDriftAutoRepairOn",
    label: "Repair switch drift automatically",
    hint: "When a drift check finds a managed port changed by hand, push it back at once (off: the switch page offers Repair to an admin).",
    options: ["off", "on"],
  },
  {
    name: "isUnknownVmBound",
    label: "VMs Tenantos does not know",
    hint: "A guest on a node uplink that no Tenantos server claims: bind its Proxmox config addresses (flagged on the switch page and alerted), or skip it (left out, with the reason).",
    options: ["bind", "skip"],
  },
  {
    name: "bandwidthBillingMode",
    label: "Bandwidth billing",
    hint: "The 95th percentile of 5-minute samples (top 5% dropped) of: the higher of in and out, in only, out only, or in+out per sample (total).",
    options: [...BANDWIDTH_MODES],
  },
  {
    name: "inventorySchedule",
    label: "Inventory collection schedule",
    hint: "Cron, five fields, UTC: when the live inventory is read from Proxmox. Default: Mondays at 04:00.",
    className: "font-mono",
  },
];
const TEXT_SETTINGS = SETTINGS.filter((s): s is TextSetting => !isChoice(s));

export function SettingsForm({ initial, canEdit }: { initial: Values; canEdit: boolean }) {
  const saving = useSettingsUpdate();
  const { update, field } = saving;

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const texts = Object.fromEntries(TEXT_SETTINGS.map((t) => [t.name, String(data.get(t.name) ?? "")]));
    update.mutate({
      ...(texts as Record<TextSetting["name"], string>),
      isSecondApprovalRequired: data.get("isSecondApprovalRequired") === "off" ? "off" : "required",
      isDriftAutoRepairOn: data.get("isDriftAutoRepairOn") === "on" ? "on" : "off",
      isUnknownVmBound: data.get("isUnknownVmBound") === "skip" ? "skip" : "bind",
      bandwidthBillingMode: BANDWIDTH_MODES.find((m) => m === data.get("bandwidthBillingMode")) ?? "higher",
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
          {SETTINGS.map((t) =>
            isChoice(t) ? (
              <SettingSelect key={t.name} {...t} defaultValue={initial[t.name]} disabled={!canEdit} />
            ) : (
              <SettingInput
                key={t.name}
                {...t}
                defaultValue={initial[t.name]}
                disabled={!canEdit}
                error={field === t.name ? update.error?.message : undefined}
              />
            ),
          )}
          {canEdit && (
            <div className="grid gap-1.5">
              <Label htmlFor="ticketId">Ticket (optional)</Label>
              <Input id="ticketId" name="ticketId" placeholder="e.g. OPS-1234" className="max-w-48" />
            </div>
          )}
          <SettingsUpdateStatus {...saving} />
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

/** One setting typed as text: its label, the rule in words, and the error naming it. */
function SettingInput({ name, label, hint, error, ...input }: { name: string; label: string; hint: string; error?: string } & ComponentProps<typeof Input>) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={name}>{label}</Label>
      <Input id={name} name={name} aria-invalid={Boolean(error)} {...input} />
      <p className="text-muted-foreground text-xs">{hint}</p>
      {error && (
        <p className="text-destructive text-sm" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** One setting chosen from a few values. */
function SettingSelect({
  name,
  label,
  hint,
  options,
  defaultValue,
  disabled,
}: {
  name: string;
  label: string;
  hint: string;
  options: string[];
  defaultValue: string;
  disabled: boolean;
}) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={name}>{label}</Label>
      <NativeSelect id={name} name={name} defaultValue={defaultValue} disabled={disabled} options={options} className="max-w-48 text-sm" />
      <p className="text-muted-foreground text-xs">{hint}</p>
    </div>
  );
}
