import type { ComponentProps } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

function Field({ name, label, ...input }: { name: string; label: string } & ComponentProps<typeof Input>) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={name}>{label}</Label>
      <Input id={name} name={name} {...input} />
    </div>
  );
}

// A plain GET form: filters live in the URL, so a filtered view can be bookmarked and shared.
export function AuditFilters({ values }: { values: Record<string, string | undefined> }) {
  return (
    <form method="get" className="mb-4 grid items-end gap-3 md:grid-cols-[1fr_1fr_12rem_12rem_auto]">
      <Field name="actor" label="Actor" placeholder="email or system:…" defaultValue={values.actor} />
      <Field name="entity" label="Entity" placeholder="type, id, or type:id" defaultValue={values.entity} />
      <Field name="from" label="From (UTC)" type="datetime-local" defaultValue={values.from} />
      <Field name="to" label="To (UTC)" type="datetime-local" defaultValue={values.to} />
      <Button type="submit">Filter</Button>
    </form>
  );
}
