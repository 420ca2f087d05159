"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";
import type { NavItem } from "@/lib/nav";

export function ItNav({ items }: { items: readonly NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Sections" className="flex flex-col gap-0.5">
      {items.map((item) => {
        const isActive = item.href === "/it" ? pathname === "/it" : pathname.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={isActive ? "page" : undefined}
            className={cn(
              "hover:bg-accent hover:text-accent-foreground flex items-center justify-between rounded-md px-3 py-1.5 text-sm",
              isActive && "bg-accent text-accent-foreground font-medium",
              !item.isBuilt && "text-muted-foreground",
            )}
          >
            {item.label}
            {!item.isBuilt && <span className="text-[10px] uppercase tracking-wide">soon</span>}
          </Link>
        );
      })}
    </nav>
  );
}
