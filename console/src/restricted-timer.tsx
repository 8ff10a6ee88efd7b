import { useEffect, useState } from "react";
import { formatDuration, useNow } from "./session";

// How long this reviewer has had restricted (child sexual abuse) cases open in
// this session: exposure to such material harms, and a visible clock helps a
// reviewer (and their lead) take breaks. Kept per browser tab session.

const storageKey = "lapwing.restrictedMs";
let openSince: number | null = null;
const listeners = new Set<() => void>();

function storedMs(): number {
  return Number(sessionStorage.getItem(storageKey) ?? "0") || 0;
}

/** Marks a restricted case as open (call on mount) and closed (the returned function, on unmount). */
export function startRestrictedWork(): () => void {
  openSince = Date.now();
  listeners.forEach((l) => l());
  return () => {
    if (openSince !== null) sessionStorage.setItem(storageKey, String(storedMs() + Date.now() - openSince));
    openSince = null;
    listeners.forEach((l) => l());
  };
}

/** Resets the clock (a new login). */
export function resetRestrictedWork(): void {
  sessionStorage.removeItem(storageKey);
  openSince = null;
}

export function RestrictedTimer() {
  const now = useNow();
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((n) => n + 1);
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  const totalMs = storedMs() + (openSince === null ? 0 : now - openSince);
  if (totalMs === 0 && openSince === null) return null;
  return (
    <span className={openSince === null ? "restricted-timer" : "restricted-timer active"} data-testid="restricted-timer" title="Time spent on restricted cases this session">
      Restricted work: {formatDuration(totalMs)}
    </span>
  );
}
