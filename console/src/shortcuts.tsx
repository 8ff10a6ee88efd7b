import { useEffect, useRef, useState } from "react";

/** A key the current screen answers to, shown in the shortcut bar. */
export interface Shortcut {
  /** `KeyboardEvent.key`, e.g. "n", "Enter", "?" (letters are matched case-insensitively). */
  key: string;
  label: string;
  run(): void;
  /** Shown greyed and ignored (e.g. "confirm" before the case is claimed). */
  disabled?: boolean;
}

type Layer = { id: number; shortcuts: Shortcut[] };
let layers: Layer[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((l) => l());

/**
 * Registers the screen's shortcuts while it is mounted. The most recent
 * registration wins a key (a dialog's Escape over the screen's), and keys
 * typed into a text field are left to the field.
 */
export function useShortcuts(shortcuts: Shortcut[]): void {
  const id = useRef(0);
  if (id.current === 0) id.current = nextId++;
  useEffect(() => {
    const layer = { id: id.current, shortcuts };
    const index = layers.findIndex((l) => l.id === layer.id);
    if (index >= 0) layers[index] = layer;
    else layers = [...layers, layer];
    changed();
  });
  useEffect(
    () => () => {
      layers = layers.filter((l) => l.id !== id.current);
      changed();
    },
    [],
  );
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function sameKey(shortcut: Shortcut, event: KeyboardEvent): boolean {
  return shortcut.key.length === 1 ? shortcut.key.toLowerCase() === event.key.toLowerCase() : shortcut.key === event.key;
}

/** Installs the one keydown listener; render once, in the layout. */
export function ShortcutListener() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (isTyping(event.target) && event.key !== "Escape") return;
      for (let i = layers.length - 1; i >= 0; i--) {
        const found = layers[i]!.shortcuts.find((s) => sameKey(s, event));
        if (!found) continue;
        event.preventDefault();
        if (!found.disabled) found.run();
        return;
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return null;
}

/** The active shortcuts, always on screen, so nobody needs a manual. */
export function ShortcutBar() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((n) => n + 1);
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  // Lower layers first, in the order each screen declared them; a key a higher layer also uses shows only there.
  const shown: Shortcut[] = [];
  layers.forEach((layer, i) => {
    const above = new Set(layers.slice(i + 1).flatMap((l) => l.shortcuts.map((s) => s.key.toLowerCase())));
    for (const s of layer.shortcuts) if (!above.has(s.key.toLowerCase())) shown.push(s);
  });
  if (shown.length === 0) return null;
  return (
    <footer className="shortcut-bar" aria-label="Keyboard shortcuts" data-testid="shortcut-bar">
      {shown.map((s) => (
        <span key={s.key} className={s.disabled ? "shortcut disabled" : "shortcut"}>
          <kbd>{s.key === " " ? "Space" : s.key}</kbd> {s.label}
        </span>
      ))}
    </footer>
  );
}
