import Link from "next/link";

/**
 * ip:port of an instance. Only the fleet roles get a link to the host page; a BUSINESS user sees the
 * address as text, since hosts are not theirs to open.
 */
export function HostAddress({ host, port, link }: { host: { id: number; ip: string }; port: number; link: boolean }) {
  return link ? (
    <span className="font-mono">
      <Link className="text-indigo-700 hover:underline" href={`/inventory/hosts/${host.id}`}>
        {host.ip}
      </Link>
      :{port}
    </span>
  ) : (
    <span className="font-mono">
      {host.ip}:{port}
    </span>
  );
}
