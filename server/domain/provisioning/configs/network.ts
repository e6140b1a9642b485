import { text } from "../../../../lib/text";
import { badInput } from "../../errors";

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Addresses and names go into config syntax verbatim, so anything else is refused before rendering. */
export function checkIpv4(ip: string, what: string): void {
  if (!IPV4.test(ip)) throw badInput(text("refusals.configs.ipv4", { what, ip }));
}

export function checkPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw badInput(text("refusals.configs.port", { what, port }));
}

/** Service names as the inventory allows them (lower-case, digits, '-'), plus '.' and '_' */
export function checkName(name: string, what: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) {
    throw badInput(text("refusals.configs.name", { what, name }));
  }
}

/** Free text (titles) goes into a comment line: it must not start a directive on the next one. */
export const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
