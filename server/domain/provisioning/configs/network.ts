import { badInput } from "../../errors";

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Addresses and names go into config syntax verbatim, so anything else is refused before rendering. */
export function checkIpv4(ip: string, what: string): void {
  if (!IPV4.test(ip)) throw badInput(`${what} "${ip}" is not an IPv4 address such as 10.1.2.3`);
}

export function checkPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw badInput(`${what} ${port} is not a port: use 1–65535`);
}

/** Service names as the inventory allows them (lower-case, digits, '-'), plus '.' and '_' */
export function checkName(name: string, what: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) {
    throw badInput(`${what} "${name}" cannot go into a config file: use letters, digits, '.', '_' and '-'`);
  }
}

/** Free text (titles) goes into a comment line: it must not start a directive on the next one. */
export const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
