// Where a webhook may be sent (SSRF): an https: URL whose host resolves only to public addresses.
// Loopback, private, link-local (and so the cloud metadata address 169.254.169.254), shared
// (CGNAT), multicast, reserved and unspecified addresses are refused, in IPv4, IPv6 and IPv4
// written inside IPv6. With `allowPrivate` (WEBHOOK_ALLOW_PRIVATE, development and tests) any
// address is allowed, and plain http: too. The check is made on the addresses the name resolves
// to, and the sender connects to the address it checked (server/webhooks/webhook-sender.ts).
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const refused = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // shared address space (CGNAT; Alibaba's metadata 100.100.100.200)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local: the metadata service of AWS, GCP, Azure, …
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
] as const) {
  refused.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64: an IPv4 address in disguise
  ['fc00::', 7], // unique local (AWS's IPv6 metadata fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  refused.addSubnet(network, prefix, 'ipv6');
}
// Azure's host address for metadata and DNS (public space, but never a webhook receiver)
refused.addAddress('168.63.129.16', 'ipv4');

export class AddressRefused extends Error {
  override name = 'AddressRefused';
}

/** Whether `address` (an IP literal) is one a webhook may never reach without allowPrivate. */
export function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refused.check(address, 'ipv4');
  if (family !== 6) return true;
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms: judge the IPv4 address inside
  const mapped = /^(?:::ffff:|::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return refused.check(mapped[1], 'ipv4');
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex?.[1] && hex[2]) {
    const value = (parseInt(hex[1], 16) << 16) | parseInt(hex[2], 16);
    return refused.check([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.'), 'ipv4');
  }
  return refused.check(address, 'ipv6');
}

/** The URL's form alone: https: (or http: with allowPrivate), no credentials. A message, or null. */
export function urlProblem(url: string, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:')) {
    return allowPrivate ? 'must be an https:// or http:// URL' : 'must be an https:// URL';
  }
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  return null;
}

export interface ResolvedTarget {
  url: URL;
  /** The address the sender connects to: the one that was checked. */
  address: string;
  family: 4 | 6;
}

/**
 * Resolves the URL's host once and checks every address it resolves to (a name with one refused
 * address among public ones is refused: the resolver could hand out either). Throws AddressRefused
 * with a message fit for the endpoint's owner.
 */
export async function resolveTarget(url: string, allowPrivate: boolean): Promise<ResolvedTarget> {
  const problem = urlProblem(url, allowPrivate);
  if (problem) throw new AddressRefused(`url ${problem}`);
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new AddressRefused(`url host ${host} could not be resolved`);
    }
  }
  if (addresses.length === 0) throw new AddressRefused(`url host ${host} could not be resolved`);
  if (!allowPrivate) {
    const bad = addresses.find(({ address }) => isRefusedAddress(address));
    if (bad) {
      throw new AddressRefused(
        `url host ${host} resolves to ${bad.address}, a loopback, private, link-local or reserved address`,
      );
    }
  }
  const first = addresses[0]!;
  return { url: parsed, address: first.address, family: first.family === 6 ? 6 : 4 };
}
