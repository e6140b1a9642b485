import Image from "next/image";

/** Hedwig's owl (public/logo.svg, also the favicon), beside the name in the shell and on sign-in. */
export function Logo({ size = 28 }: { size?: number }) {
  return <Image src="/logo.svg" alt="" width={size} height={size} unoptimized priority />;
}
