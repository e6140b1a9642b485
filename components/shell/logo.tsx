/** An owl's face, drawn inline: emoji fonts are not on every console screen. */
export function Logo() {
  return (
    <svg viewBox="0 0 32 32" className="h-7 w-7" aria-hidden>
      <rect width="32" height="32" rx="8" fill="#6366f1" />
      <circle cx="11" cy="14" r="5" fill="#fff" />
      <circle cx="21" cy="14" r="5" fill="#fff" />
      <circle cx="11" cy="14" r="2" fill="#1e1b4b" />
      <circle cx="21" cy="14" r="2" fill="#1e1b4b" />
      <path d="M14 20 L16 24 L18 20 Z" fill="#fbbf24" />
    </svg>
  );
}
