import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * Asks before an action that cannot simply be taken back: a modal dialog (the browser's own `<dialog>`,
 * so focus stays inside it, Escape cancels, and focus returns to the button that opened it), named by
 * its question and described by its consequence. Focus starts on «Avbryt», the safe choice.
 * Designsystemet's dialog; a dangerous action's button is in the danger colour.
 */
export function ConfirmDialog({
  id,
  open,
  title,
  children,
  confirmLabel,
  danger = false,
  onConfirm,
  onCancel,
}: {
  id: string;
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      class="ds-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-description`}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-description`}>{children}</div>
      <div class="button-row">
        <button
          type="button"
          class="ds-button"
          data-variant="primary"
          data-color={danger ? 'danger' : undefined}
          onClick={onConfirm}
        >
          {confirmLabel}
        </button>
        <button type="button" class="ds-button" data-variant="secondary" autoFocus onClick={onCancel}>
          Avbryt
        </button>
      </div>
    </dialog>
  );
}
