"use client";
import { AlertDialog } from "radix-ui";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";
import { cn } from "@/lib/utils";

/**
 * The console's one "look before you act": every action that removes, releases, claims, pushes,
 * voids or approves opens this first. It shows what exactly will change (`children`: the server's
 * own preview where one exists, else the facts the row already shows) and acts only on "confirm".
 * The dialog stays open while the action runs and shows its error there, so a refusal is read
 * where the decision was made; it closes when the action succeeds.
 *
 * Built on Radix's AlertDialog (focus trapped, Escape cancels, focus returns to the trigger).
 */
export function ConfirmDialog({
  trigger,
  title,
  description,
  children,
  confirmLabel,
  isDestructive = false,
  isConfirmDisabled = false,
  open,
  onOpenChange,
  onConfirm,
  isWide = false,
}: {
  /** The button that opens the dialog (rendered as is). */
  trigger?: ReactNode;
  title: string;
  description?: ReactNode;
  /** What will change: a short list, a diff, a preview. */
  children?: ReactNode;
  confirmLabel: string;
  isDestructive?: boolean;
  /** While the preview is loading or shows nothing to do. */
  isConfirmDisabled?: boolean;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** For a preview with tables (Apply All). */
  isWide?: boolean;
  /** Runs the action; a rejected promise keeps the dialog open with the error shown. */
  onConfirm: () => Promise<unknown> | unknown;
}) {
  const [isOwnOpen, setOwnOpen] = useState(false);
  const [isRunning, setRunning] = useState(false);
  const [error, setError] = useState<{ message: string } | null>(null);
  const isOpen = open ?? isOwnOpen;
  const setOpen = (next: boolean) => {
    if (!next && isRunning) return;
    if (next) setError(null);
    setOwnOpen(next);
    onOpenChange?.(next);
  };
  async function run() {
    setRunning(true);
    setError(null);
    try {
      await onConfirm();
      setRunning(false);
      setOwnOpen(false);
      onOpenChange?.(false);
    } catch (e) {
      setRunning(false);
      setError({ message: e instanceof Error ? e.message : String(e) });
    }
  }
  return (
    <AlertDialog.Root open={isOpen} onOpenChange={setOpen}>
      {trigger && <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger>}
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-50 bg-black/40" />
        <AlertDialog.Content
          data-testid="confirm-dialog"
          className={cn(
            "bg-background text-foreground fixed top-1/2 left-1/2 z-50 grid max-h-[85vh] w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2",
            "gap-3 overflow-y-auto rounded-lg border p-5 shadow-lg",
            isWide ? "max-w-5xl" : "max-w-lg",
          )}
        >
          <AlertDialog.Title className="text-base font-semibold">{title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="text-muted-foreground text-sm">{description ?? "Look at what will change, then confirm."}</div>
          </AlertDialog.Description>
          {children && (
            <div className="grid gap-2 text-sm" data-testid="confirm-changes">
              {children}
            </div>
          )}
          <ErrorText error={error} as="p" className="text-sm" />
          <div className="flex flex-wrap justify-end gap-2 pt-1">
            <AlertDialog.Cancel asChild>
              <Button variant="outline" disabled={isRunning}>
                Cancel
              </Button>
            </AlertDialog.Cancel>
            <Button variant={isDestructive ? "destructive" : "default"} onClick={run} disabled={isRunning || isConfirmDisabled}>
              {isRunning ? "Working…" : confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

/** One line of "what will change": the thing, and its value before → after (or just what happens). */
export function ChangeLine({ label, before, after }: { label: ReactNode; before?: ReactNode; after?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-baseline gap-x-2">
      <span className="font-medium">{label}</span>
      {before !== undefined && <span className="text-muted-foreground font-mono text-xs">{before}</span>}
      {before !== undefined && after !== undefined && <span aria-label="becomes">→</span>}
      {after !== undefined && <span className="font-mono text-xs">{after}</span>}
    </div>
  );
}
