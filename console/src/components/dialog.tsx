import { useEffect, useRef, type ReactNode } from "react";
import { useShortcuts } from "../shortcuts";

/**
 * A modal confirmation: opens with focus on its first field (or the confirm
 * button), Escape cancels, Enter confirms (on a list too: arrows choose, Enter
 * confirms). Used before every step that cannot be undone.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger,
  busy,
  onConfirm,
  onCancel,
}: {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector<HTMLElement>("select, input, textarea") ?? dialog.querySelector<HTMLElement>("button[type=submit]");
    first?.focus();
    return () => dialog.close();
  }, []);
  // Over the screen's own keys while open: only Escape means something here.
  useShortcuts([{ key: "Escape", label: "cancel", run: onCancel }]);
  return (
    <dialog ref={ref} onCancel={(e) => (e.preventDefault(), onCancel())} aria-labelledby="dialog-title" data-testid="confirm-dialog">
      <form
        method="dialog"
        onKeyDown={(e) => {
          // Enter on a focused list would open it; here it confirms, and the arrow keys still choose.
          if (e.key === "Enter" && e.target instanceof HTMLSelectElement) {
            e.preventDefault();
            e.currentTarget.requestSubmit();
          }
        }}
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) onConfirm();
        }}
      >
        <h2 id="dialog-title">{title}</h2>
        {children}
        <div className="decide">
          <button type="submit" className={danger ? "danger" : "primary"} disabled={busy} data-testid="confirm-dialog-ok">
            {busy ? "Working…" : confirmLabel} <kbd>Enter</kbd>
          </button>
          <button type="button" onClick={onCancel}>
            Cancel <kbd>Esc</kbd>
          </button>
        </div>
      </form>
    </dialog>
  );
}
