import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { sha256Hex, utf8Bytes } from '../sha256.js';

describe('sha256Hex (FIPS 180-4)', () => {
  // NIST CSRC "Cryptographic Standards and Guidelines — Examples with Intermediate Values", SHA-256
  // (SHA256.pdf), the one-block and two-block messages; the same digests are in FIPS 180-2 App. B.
  it('one-block message "abc"', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('two-block 448-bit message', () => {
    const msg = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';
    expect(msg.length * 8).toBe(448);
    expect(sha256Hex(msg)).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('one million "a" (FIPS 180-2 Appendix B.3) and the empty message', () => {
    expect(sha256Hex('a'.repeat(1_000_000))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  test.prop([fc.uint8Array({ maxLength: 300 })])('agrees with node:crypto on any bytes', (bytes) => {
    expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  test.prop([fc.string({ unit: 'grapheme', maxLength: 80 })])(
    'hashes strings as UTF-8, like node:crypto',
    (text) => {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    },
  );

  it('encodes UTF-8 like TextEncoder, lone surrogates included', () => {
    for (const s of ['£€😀', 'a\ud800b', '\udc00']) {
      expect([...utf8Bytes(s)]).toEqual([...new TextEncoder().encode(s)]);
    }
  });
});
