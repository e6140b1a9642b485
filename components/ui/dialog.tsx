"use client";

import { useEffect, useRef } from "react";

/** A modal on the native <dialog>: focus trapping and Escape come from the browser. */
export function Dialog({
  open,
  onClose,
  title,
  children,
  wide,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: React.ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-label={title}
      className={`m-auto rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40 ${wide ? "w-[56rem]" : "w-[32rem]"} max-w-[95vw]`}
    >
      <div className="flex items-center justify-between border-b border-slate-100 px-5 py-3">
        <h2 className="text-base font-semibold">{title}</h2>
        <button type="button" onClick={onClose} className="text-slate-400 hover:text-slate-700" aria-label="close">
          ✕
        </button>
      </div>
      <div className="max-h-[75vh] overflow-y-auto px-5 py-4">{open ? children : null}</div>
    </dialog>
  );
}
