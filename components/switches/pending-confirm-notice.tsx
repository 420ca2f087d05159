import { Time } from "@/components/ui/time";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

interface PendingConfirm {
  changeId: string;
  status: string;
  deadline: Date;
  message: string | null;
}

/** A confirmed commit on trial on the switch: it rolls back at the deadline unless the next run confirms it. */
export function PendingConfirmNotice({ pending }: { pending: PendingConfirm }) {
  const isOurs = pending.status === "awaiting-confirm";
  return (
    <Alert className="mt-4" data-testid="pending-confirm">
      <AlertTitle>{isOurs ? `Change ${pending.changeId} is on trial on the switch` : "A confirmed commit is pending on the switch: pushes wait"}</AlertTitle>
      <AlertDescription>
        <p>
          {isOurs
            ? "The session was lost after commit confirmed. The next run confirms it if the switch still holds the plan; otherwise the switch rolls it back by"
            : "Nothing is stacked on a pending confirmed commit. The next run is scheduled after its rollback, by"}{" "}
          <Time value={pending.deadline} />.
        </p>
        {pending.message && <p className="text-xs">{pending.message}</p>}
      </AlertDescription>
    </Alert>
  );
}
