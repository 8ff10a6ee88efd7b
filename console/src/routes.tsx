import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import type { Role } from "./api/types";
import { matchPath as matchPathOf } from "./router";

/**
 * THE route table: every screen of the console registers here, once. The
 * layout builds the navigation from it (entries with `nav`), showing each
 * user only the screens their role may open; the server enforces the same
 * roles on every API call, so hiding is for clarity, not security.
 *
 * A screen receives the route's parameters (`/cases/:id` gives `{id}`).
 */
export interface RouteEntry {
  path: string;
  /** Shown in the navigation and the window title. */
  title: string;
  /** The roles that may open the screen. */
  roles: readonly Role[];
  /** A navigation entry (top bar), in table order; parameterised screens have none. */
  nav?: boolean;
  /** A key that opens the screen from anywhere ("g" then this key), listed in the help. */
  goKey?: string;
  screen: LazyExoticComponent<ComponentType<ScreenProps>> | ComponentType<ScreenProps>;
}

export interface ScreenProps {
  params: Record<string, string>;
}

export const reviewers = ["admin", "child_safety_reviewer", "moderator"] as const satisfies readonly Role[];
export const everyone = ["admin", "child_safety_reviewer", "moderator", "viewer"] as const satisfies readonly Role[];
export const admins = ["admin"] as const satisfies readonly Role[];
/** Who may read CyberTipline reports: a report describes a child sexual abuse case (src/server/routes/reports.ts). */
export const reportReaders = ["admin", "child_safety_reviewer"] as const satisfies readonly Role[];

export const routes: RouteEntry[] = [
  { path: "/", title: "Queue", roles: everyone, nav: true, goKey: "q", screen: lazy(() => import("./screens/queue")) },
  { path: "/cases/:id", title: "Case", roles: everyone, screen: lazy(() => import("./screens/case")) },
  // The network API is for child-safety reviewers alone (src/server/routes/network.ts).
  { path: "/network/:account", title: "Network", roles: ["child_safety_reviewer"], screen: lazy(() => import("./screens/network")) },
  { path: "/reports", title: "Reports", roles: reportReaders, nav: true, screen: lazy(() => import("./screens/reports")) },
  { path: "/shortcuts", title: "Shortcuts", roles: everyone, screen: lazy(() => import("./screens/shortcuts")) },
  // The dashboard (console/src/dashboard/) and the admin screens (console/src/admin/).
  { path: "/dashboard", title: "Dashboard", roles: everyone, nav: true, goKey: "h", screen: lazy(() => import("./dashboard/dashboard")) },
  { path: "/admin/banks", title: "Admin", roles: admins, nav: true, screen: lazy(() => import("./admin/banks")) },
  { path: "/admin/lexicons", title: "Lexicons", roles: admins, screen: lazy(() => import("./admin/lexicons")) },
  { path: "/admin/policies", title: "Policies", roles: admins, screen: lazy(() => import("./admin/policies")) },
  { path: "/admin/keys", title: "API keys", roles: admins, screen: lazy(() => import("./admin/keys")) },
  { path: "/admin/users", title: "Users and roles", roles: admins, screen: lazy(() => import("./admin/users")) },
  { path: "/admin/webhooks", title: "Webhooks", roles: admins, screen: lazy(() => import("./admin/webhooks")) },
  { path: "/admin/audit", title: "Audit log", roles: admins, screen: lazy(() => import("./admin/audit")) },
];

/** The route for a path and its parameters; null when no screen has the path. */
export function findRoute(pathname: string): { route: RouteEntry; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = matchPathOf(route.path, pathname);
    if (params) return { route, params };
  }
  return null;
}
