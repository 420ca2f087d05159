import { NextResponse, type NextRequest } from "next/server";

// Not an auth gate (pages and procedures check roles themselves): it only tells server components
// which path was asked for, so a signed-out visitor returns there after signing in.
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set("x-pathname", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/it/:path*"] };
