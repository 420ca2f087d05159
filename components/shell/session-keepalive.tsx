"use client";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

const RENEW_EVERY_MS = 60_000;

/**
 * The session cookie lives 30 idle minutes. Activity (navigation, clicks, keys) renews it at most
 * once a minute through /api/auth/session; an open but idle tab does not, so it really expires.
 */
export function SessionKeepalive() {
  const pathname = usePathname();
  const router = useRouter();
  const last = useRef(0);

  useEffect(() => {
    const renew = () => {
      if (Date.now() - last.current < RENEW_EVERY_MS) return;
      last.current = Date.now();
      void fetch("/api/auth/session", { cache: "no-store" })
        .then((r) => r.json())
        .then((s: { user?: unknown } | null) => {
          if (!s?.user) router.replace(`/signin?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
        })
        .catch(() => {});
    };
    renew();
    window.addEventListener("click", renew);
    window.addEventListener("keydown", renew);
    return () => {
      window.removeEventListener("click", renew);
      window.removeEventListener("keydown", renew);
    };
  }, [pathname, router]);
  return null;
}
