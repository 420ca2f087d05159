import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

// A plain GET form: filters live in the URL, so a filtered view can be bookmarked and shared.
export function AuditFilters({ values }: { values: Record<string, string | undefined> }) {
  return (
    <form method="get" className="mb-4 grid grid-cols-[1fr_1fr_12rem_12rem_auto] items-end gap-3">
      <div className="grid gap-1.5">
        <Label htmlFor="actor">Actor</Label>
        <Input id="actor" name="actor" placeholder="email or system:…" defaultValue={values.actor} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="entity">Entity</Label>
        <Input id="entity" name="entity" placeholder="type, id, or type:id" defaultValue={values.entity} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="from">From</Label>
        <Input id="from" name="from" type="datetime-local" defaultValue={values.from} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="to">To</Label>
        <Input id="to" name="to" type="datetime-local" defaultValue={values.to} />
      </div>
      <Button type="submit">Filter</Button>
    </form>
  );
}
