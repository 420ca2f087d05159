import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

/** A plain `<select>` over string choices, styled like the inputs; `anyLabel` adds an empty first choice. */
export function NativeSelect({
  options,
  anyLabel,
  className,
  ...props
}: Omit<ComponentProps<"select">, "children"> & { options: readonly string[]; anyLabel?: string }) {
  return (
    <select className={cn("border-input h-9 rounded-md border bg-transparent px-2", className)} {...props}>
      {anyLabel !== undefined && <option value="">{anyLabel}</option>}
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}
