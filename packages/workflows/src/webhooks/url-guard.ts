/**
 * SSRF guard for webhook URLs. A URL must be https (http only when private URLs are allowed, as in
 * development and tests), carry no credentials, and every address its host resolves to must be
 * public: no private, loopback, link-local, CGNAT, unique-local, multicast, reserved or unspecified
 * address. Checked when an endpoint is created and again at every delivery, where the connection
 * is made to the very addresses that were checked (a guarded `lookup`), so DNS rebinding between
 * the check and the connect cannot reach an internal host.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { WebhookUrlError } from './errors.js';

/** Resolves a host name to every address it has (as `dns.lookup(host, { all: true })` does). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export interface UrlGuardOptions {
  /** Allow http and private/loopback addresses (`WEBHOOK_ALLOW_PRIVATE_URLS=true`; tests, development). */
  allowPrivateUrls?: boolean;
  /** Defaults to `dns.lookup` with `all: true` (what a connection would use). */
  resolveHost?: ResolveHost;
}

/** Longest URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

export const defaultResolveHost: ResolveHost = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

const blocked = new BlockList();
// IPv4 (RFC 6890 special-purpose and friends).
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT shared address space
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata 169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
// IPv6.
for (const [net, prefix] of [
  ['::', 96], // unspecified (::), loopback (::1), deprecated IPv4-compatible
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID)
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (`::ffff:127.0.0.1` included), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const octets = tail[1].split('.').map(Number);
    if (octets.length !== 4 || octets.some((o) => o > 255)) return null;
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const groups = [...head, ...Array<number>(Math.max(fill, 0)).fill(0), ...rest];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

/** The IPv4 address an IPv6 address embeds (IPv4-mapped, NAT64 well-known prefix, 6to4), if any. */
function embeddedIpv4(groups: number[]): string | null {
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return v4(g6, g7); // ::ffff:a.b.c.d
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return v4(g6, g7); // 64:ff9b::/96
  if (g0 === 0x2002) return v4(g1 ?? 0, g2 ?? 0); // 6to4 2002:aabb:ccdd::/48
  return null;
}

/**
 * Why `address` is not a public unicast address (`a loopback address`, …), or null when it is.
 * Unparseable input counts as not public.
 */
export function nonPublicReason(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4') ? 'a private or reserved address' : null;
  if (family !== 6) return 'not an IP address';
  const groups = ipv6Groups(address);
  if (!groups) return 'not an IP address';
  const v4 = embeddedIpv4(groups);
  if (v4 !== null) return nonPublicReason(v4);
  const normalized = groups.map((g) => g.toString(16)).join(':');
  return blocked.check(normalized, 'ipv6') ? 'a private or reserved address' : null;
}

/** True when `address` is a public unicast IP address. */
export const isPublicAddress = (address: string): boolean => nonPublicReason(address) === null;

/** The URL parsed and checked for shape (scheme, credentials, length); addresses are not checked. */
export function parseWebhookUrl(raw: string, options: Pick<UrlGuardOptions, 'allowPrivateUrls'> = {}): URL {
  if (typeof raw !== 'string' || raw.length === 0) throw new WebhookUrlError('is required');
  if (raw.length > MAX_WEBHOOK_URL_LENGTH)
    throw new WebhookUrlError(`must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('is not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(options.allowPrivateUrls && url.protocol === 'http:')) {
    throw new WebhookUrlError(
      options.allowPrivateUrls ? 'must use https or http' : 'must use https (http is not accepted)',
    );
  }
  if (url.username !== '' || url.password !== '') throw new WebhookUrlError('must not contain credentials');
  if (url.hostname === '') throw new WebhookUrlError('has no host');
  return url;
}

/** `[::1]` → `::1`: URL host names keep IPv6 literals in brackets. */
const bareHost = (hostname: string) =>
  hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;

/**
 * Resolves the URL's host and checks every address. Returns the addresses (to connect to).
 *
 * @throws WebhookUrlError when the host does not resolve or any address is not public (unless allowed).
 */
export async function resolveWebhookHost(url: URL, options: UrlGuardOptions = {}): Promise<LookupAddress[]> {
  const host = bareHost(url.hostname);
  const literal = isIP(host);
  let addresses: LookupAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal }];
  } else {
    try {
      addresses = await (options.resolveHost ?? defaultResolveHost)(host);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new WebhookUrlError(
        `host ${host} does not resolve${typeof code === 'string' ? ` (${code})` : ''}`,
      );
    }
    if (addresses.length === 0) throw new WebhookUrlError(`host ${host} does not resolve`);
  }
  if (!options.allowPrivateUrls) {
    for (const { address } of addresses) {
      const reason = nonPublicReason(address);
      if (reason) {
        throw new WebhookUrlError(
          literal ? `is ${reason} (${address})` : `host ${host} resolves to ${address}, ${reason}`,
        );
      }
    }
  }
  return addresses;
}

/**
 * Checks a URL fully: shape, then every resolved address.
 *
 * @returns the normalized URL string.
 * @throws WebhookUrlError naming the reason.
 * @example await assertWebhookUrl('https://hooks.example.com/greenfin');
 */
export async function assertWebhookUrl(raw: string, options: UrlGuardOptions = {}): Promise<string> {
  const url = parseWebhookUrl(raw, options);
  await resolveWebhookHost(url, options);
  return url.toString();
}

/**
 * A `lookup` for `http.request` that hands the socket only addresses already checked by
 * {@link resolveWebhookHost} (IPv4 first), so the connection goes where the check looked.
 */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  const ordered = [...addresses].sort((a, b) => a.family - b.family);
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = ordered.filter((a) => wanted === 0 || a.family === wanted);
    const first = usable[0];
    if (!first) {
      callback(
        Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }),
        '',
        4,
      );
    } else if (options.all) {
      (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
    } else {
      callback(null, first.address, first.family);
    }
  };
}
