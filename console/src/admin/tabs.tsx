import { Link, useLocation } from "../router";
import "./admin.css";

/** The admin screens, one tab each (all registered in ../routes.tsx, admins only). */
export const adminScreens = [
  { path: "/admin/banks", title: "Hash banks" },
  { path: "/admin/lexicons", title: "Lexicons" },
  { path: "/admin/policies", title: "Policies" },
  { path: "/admin/keys", title: "API keys" },
  { path: "/admin/users", title: "Users and roles" },
  { path: "/admin/webhooks", title: "Webhooks" },
  { path: "/admin/audit", title: "Audit log" },
] as const;

export function AdminTabs() {
  const { pathname } = useLocation();
  return (
    <nav className="admin-tabs" aria-label="Admin screens">
      {adminScreens.map((s) => (
        <Link key={s.path} to={s.path} className={pathname === s.path ? "current" : undefined} aria-current={pathname === s.path ? "page" : undefined}>
          {s.title}
        </Link>
      ))}
    </nav>
  );
}
