/**
 * The SSRF guard: which addresses are refused, literal IPs and names resolved through DNS
 * (`localhost` for real, others through an injected resolver), and the allow setting.
 */
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { WebhookUrlError } from '../src/webhooks/errors.js';
import {
  assertWebhookUrl,
  nonPublicReason,
  pinnedLookup,
  type ResolveHost,
} from '../src/webhooks/url-guard.js';

const refusedAddresses = [
  '0.0.0.0',
  '10.0.0.1',
  '10.255.255.255',
  '100.64.0.1', // CGNAT
  '100.127.255.254',
  '127.0.0.1',
  '127.8.9.10',
  '169.254.169.254', // cloud metadata
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '192.0.2.10',
  '198.18.0.1',
  '224.0.0.1', // multicast
  '239.255.255.250',
  '255.255.255.255',
  '::', // unspecified
  '::1', // loopback
  'fe80::1', // link-local
  'fc00::1', // unique local fc00::/7
  'fd12:3456:789a::1',
  'ff02::1', // multicast
  '::ffff:127.0.0.1', // IPv4-mapped loopback
  '::ffff:10.1.2.3',
  '::ffff:a9fe:a9fe', // mapped 169.254.169.254, hex form
  '64:ff9b::a00:1', // NAT64 of 10.0.0.1
  '2002:7f00:1::1', // 6to4 of 127.0.0.1
  '2001:db8::1', // documentation
];
const publicAddresses = [
  '8.8.8.8',
  '1.1.1.1',
  '172.32.0.1',
  '100.128.0.1',
  '2606:4700:4700::1111',
  '::ffff:8.8.8.8',
  '2a00:1450:4001:81b::200e',
];

describe('nonPublicReason', () => {
  it.each(refusedAddresses)('refuses %s', (address) => {
    expect(nonPublicReason(address)).not.toBeNull();
  });
  it.each(publicAddresses)('accepts %s', (address) => {
    expect(nonPublicReason(address)).toBeNull();
  });
  it('refuses what is not an address', () => {
    expect(nonPublicReason('example.com')).toBe('not an IP address');
  });
});

/** A resolver that answers from a table and fails for anything else, like DNS would. */
const fakeDns =
  (table: Record<string, string[]>): ResolveHost =>
  async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const refusal = async (url: string, options: Parameters<typeof assertWebhookUrl>[1] = {}) => {
  try {
    await assertWebhookUrl(url, options);
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookUrlError);
    return (error as WebhookUrlError).reason;
  }
  return null;
};

describe('assertWebhookUrl', () => {
  it.each([
    'https://127.0.0.1/hook',
    'https://10.0.0.7/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]/hook',
    'https://[fc00::1]/hook',
    'https://[fd00:ec2::254]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://0.0.0.0/hook',
    'https://2130706433/hook', // 127.0.0.1 as one decimal number (WHATWG URL normalizes it)
    'https://0x7f.1/hook',
  ])('refuses the literal address in %s', async (url) => {
    expect(await refusal(url)).toMatch(/private or reserved/);
  });

  it('refuses localhost, resolved through the real resolver', async () => {
    expect(await refusal('https://localhost/hook')).toMatch(
      /localhost resolves to (127\.0\.0\.1|::1), a private/,
    );
  });

  it('refuses a name when any one of its addresses is private', async () => {
    const resolveHost = fakeDns({ 'mixed.example': ['93.184.216.34', '10.0.0.5'] });
    expect(await refusal('https://mixed.example/hook', { resolveHost })).toBe(
      'host mixed.example resolves to 10.0.0.5, a private or reserved address',
    );
  });

  it('accepts an https name whose addresses are all public, and returns the normalized URL', async () => {
    const resolveHost = fakeDns({ 'hooks.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'] });
    await expect(assertWebhookUrl('HTTPS://Hooks.Example/in?x=1', { resolveHost })).resolves.toBe(
      'https://hooks.example/in?x=1',
    );
  });

  it('refuses a name that does not resolve', async () => {
    expect(await refusal('https://nowhere.example/hook', { resolveHost: fakeDns({}) })).toBe(
      'host nowhere.example does not resolve (ENOTFOUND)',
    );
  });

  it('refuses http, credentials and non-URLs', async () => {
    const resolveHost = fakeDns({ 'hooks.example': ['93.184.216.34'] });
    expect(await refusal('http://hooks.example/hook', { resolveHost })).toBe(
      'must use https (http is not accepted)',
    );
    expect(await refusal('https://user:pw@hooks.example/hook', { resolveHost })).toBe(
      'must not contain credentials',
    );
    expect(await refusal('ftp://hooks.example/x', { resolveHost })).toMatch(/must use https/);
    expect(await refusal('not a url')).toBe('is not an absolute URL');
    expect(await refusal(`https://hooks.example/${'a'.repeat(2100)}`, { resolveHost })).toMatch(
      /at most 2048/,
    );
  });

  it('allows http and private addresses only with allowPrivateUrls', async () => {
    await expect(assertWebhookUrl('http://127.0.0.1:9/hook', { allowPrivateUrls: true })).resolves.toBe(
      'http://127.0.0.1:9/hook',
    );
    await expect(assertWebhookUrl('https://localhost/hook', { allowPrivateUrls: true })).resolves.toBe(
      'https://localhost/hook',
    );
    expect(await refusal('http://127.0.0.1:9/hook')).not.toBeNull();
  });
});

describe('pinnedLookup', () => {
  it('hands the socket only the checked addresses, IPv4 first', async () => {
    const checked: LookupAddress[] = [
      { address: '2606:4700::1', family: 6 },
      { address: '93.184.216.34', family: 4 },
    ];
    const lookup = pinnedLookup(checked);
    const one = await new Promise<[string, number]>((resolve, reject) =>
      lookup('anything.example', {}, (error, address, family) =>
        error ? reject(error) : resolve([address as string, family as number]),
      ),
    );
    expect(one).toEqual(['93.184.216.34', 4]);
    const all = await new Promise<unknown>((resolve, reject) =>
      lookup('anything.example', { all: true, family: 6 }, (error, addresses) =>
        error ? reject(error) : resolve(addresses),
      ),
    );
    expect(all).toEqual([{ address: '2606:4700::1', family: 6 }]);
  });
});
