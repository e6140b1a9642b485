/** Shows the server's own sentence for a refused call; it already says what to change. */
export function ErrorNote({ error }: { error: { message: string } | null | undefined }) {
  if (!error) return null;
  return (
    <div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200">
      {error.message}
    </div>
  );
}
