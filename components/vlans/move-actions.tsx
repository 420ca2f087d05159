"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { FormField } from "@/components/switches/form-field";
import { fieldError } from "@/components/switches/error-text";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { ChangeLine, ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorText } from "@/components/ui/error-text";
import { WAVES } from "@/lib/vlans/moves";

const SELECT = "border-input h-9 rounded-md border bg-transparent px-2 text-sm";
const blankToNull = (d: FormData, k: string) => String(d.get(k) ?? "").trim() || null;

/** A move's wave: one of the plan's waves, or "" to let the rule choose. */
function WaveSelect({ name, defaultValue }: { name: string; defaultValue: string }) {
  return (
    <label className="grid gap-1.5 text-sm">
      Wave
      <select name={name} className={SELECT} defaultValue={defaultValue}>
        <option value="">by the rule</option>
        {WAVES.map((w) => (
          <option key={w.wave} value={w.wave}>
            {w.wave} · {w.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Plans a host's move: target address and VLAN, and for a host that changes role, the cutover. */
export function PlanMoveForm({ vlans }: { vlans: Array<{ vid: number; name: string }> }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.vlans.createMove.mutationOptions({ onSuccess: () => router.refresh() }));
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const vmid = blankToNull(d, "move-vmid");
    const wave = blankToNull(d, "move-wave");
    create.mutate({
      hostname: String(d.get("move-hostname") ?? ""),
      vmid: vmid ? Number(vmid) : null,
      targetAddress: String(d.get("move-target") ?? "").trim(),
      targetVid: Number(d.get("move-vid")),
      fromRole: blankToNull(d, "move-from-role"),
      toRole: blankToNull(d, "move-to-role"),
      wave: wave ? Number(wave) : null,
    });
  }
  const otherError = create.error && !fieldError(create.error, "targetAddress") && !fieldError(create.error, "hostname") ? create.error : null;
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Plan a move">
      <FormField name="move-hostname" label="Host" required error={fieldError(create.error, "hostname")} />
      <FormField name="move-vmid" label="VMID" type="number" className="w-24" />
      <FormField name="move-target" label="Target address" className="w-36 font-mono" required error={fieldError(create.error, "targetAddress")} />
      <label className="grid gap-1.5 text-sm">
        Target VLAN
        <select name="move-vid" className={SELECT} required>
          {vlans.map((v) => (
            <option key={v.vid} value={v.vid}>
              {v.vid} · {v.name}
            </option>
          ))}
        </select>
      </label>
      <FormField name="move-from-role" label="Role now (if it changes)" placeholder="proxmox-host" />
      <FormField name="move-to-role" label="New role" placeholder="wan-aggregator" />
      <WaveSelect name="move-wave" defaultValue="" />
      <Button type="submit" disabled={create.isPending}>
        Plan move
      </Button>
      <ErrorText error={otherError} className="text-sm" />
      {create.data && (
        <span className="text-sm" role="status">
          Planned {create.data.hostname} → {create.data.targetAddress}
        </span>
      )}
    </form>
  );
}

/** The buttons that move a host's migration along; the server refuses a start that is not ready, saying why. */
export function MoveStatusActions({ id, hostname, status }: { id: number; hostname: string; status: "planned" | "in_progress" | "done" }) {
  const trpc = useTRPC();
  const router = useRouter();
  const set = useMutation(trpc.vlans.setMoveStatus.mutationOptions({ onSuccess: () => router.refresh() }));
  const del = useMutation(trpc.vlans.deleteMove.mutationOptions({ onSuccess: () => router.refresh() }));
  const go = (next: "planned" | "in_progress" | "done") => set.mutate({ id, status: next });
  const pending = set.isPending || del.isPending;
  return (
    <span className="inline-flex flex-wrap items-center justify-end gap-2">
      {status === "planned" && (
        <Button size="sm" variant="outline" disabled={pending} onClick={() => go("in_progress")} aria-label={`Start ${hostname}`}>
          Start
        </Button>
      )}
      {status === "in_progress" && (
        <Button size="sm" variant="outline" disabled={pending} onClick={() => go("done")} aria-label={`Mark ${hostname} done`}>
          Mark done
        </Button>
      )}
      {status !== "planned" && (
        <Button size="sm" variant="ghost" disabled={pending} onClick={() => go("planned")} aria-label={`Back to planned ${hostname}`}>
          Back to planned
        </Button>
      )}
      {status === "planned" && (
        <ConfirmDialog
          trigger={
            <Button size="sm" variant="ghost" disabled={pending} aria-label={`Delete move of ${hostname}`}>
              Delete
            </Button>
          }
          title={`Delete the planned move of ${hostname}?`}
          description="The host stays where it is; only the plan's row goes."
          confirmLabel={`Delete move of ${hostname}`}
          isDestructive
          onConfirm={() => del.mutateAsync({ id })}
        >
          <ChangeLine label={hostname} before="planned move" after="deleted" />
        </ConfirmDialog>
      )}
      <ErrorText error={set.error ?? del.error} className="text-xs" />
    </span>
  );
}

/** The cutover's roles, the wave (by the rule or by hand) and a note; the target is changed by planning again. */
export function EditMoveForm({
  move,
}: {
  move: { id: number; hostname: string; fromRole: string | null; toRole: string | null; wave: number | null; note: string | null; isWaveByHand: boolean };
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.vlans.updateMove.mutationOptions({ onSuccess: () => router.refresh() }));
  const key = `move-${move.id}`;
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const wave = blankToNull(d, `${key}-wave`);
    save.mutate({
      id: move.id,
      fromRole: blankToNull(d, `${key}-from-role`),
      toRole: blankToNull(d, `${key}-to-role`),
      wave: wave ? Number(wave) : null,
      note: blankToNull(d, `${key}-note`),
    });
  }
  return (
    <details className="text-left text-xs">
      <summary className="cursor-pointer underline">Edit</summary>
      <form onSubmit={onSubmit} className="mt-2 grid gap-2" aria-label={`Edit move of ${move.hostname}`}>
        <FormField name={`${key}-from-role`} label="Role now" defaultValue={move.fromRole ?? ""} />
        <FormField name={`${key}-to-role`} label="New role" defaultValue={move.toRole ?? ""} />
        <WaveSelect name={`${key}-wave`} defaultValue={move.isWaveByHand && move.wave ? String(move.wave) : ""} />
        <FormField name={`${key}-note`} label="Note" defaultValue={move.note ?? ""} />
        <Button type="submit" size="sm" disabled={save.isPending}>
          Save move
        </Button>
        <ErrorText error={save.error} className="text-xs" />
        {save.isSuccess && <span role="status">Saved.</span>}
      </form>
    </details>
  );
}
