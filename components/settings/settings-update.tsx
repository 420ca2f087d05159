"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";

// Both settings forms save through settings.update: a change that weakens safety waits for a
// second admin, so the answer is "pending" or "applied", and a field's error is shown at the field.

/** The settings.update mutation, whether its last answer belongs to this save, and the field an error names. */
export function useSettingsUpdate() {
  const trpc = useTRPC();
  const router = useRouter();
  const [isSaved, setIsSaved] = useState(false);
  const update = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: () => {
        setIsSaved(true);
        router.refresh();
      },
      onMutate: () => setIsSaved(false),
    }),
  );
  return { update, isSaved, field: update.error?.data?.field };
}

/** An error no field owns, or what became of the save: waiting on Approvals, or saved. */
export function SettingsUpdateStatus({ update, isSaved, field }: ReturnType<typeof useSettingsUpdate>) {
  return (
    <>
      {update.error && !field && (
        <Alert variant="destructive">
          <AlertDescription role="alert">{update.error.message}</AlertDescription>
        </Alert>
      )}
      {isSaved && update.data?.status === "pending" && (
        <p className="text-sm" role="status">
          Waits for a second admin on /it/approvals: {update.data.summary}.
        </p>
      )}
      {isSaved && update.data?.status === "applied" && (
        <p className="text-sm" role="status">
          Saved.
        </p>
      )}
    </>
  );
}
