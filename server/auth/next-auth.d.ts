import type { Role } from "@/lib/auth/roles";

declare module "next-auth" {
  interface User {
    roles?: Role[];
  }
}
