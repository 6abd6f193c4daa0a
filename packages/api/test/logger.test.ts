import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}

describe('the API logger keeps credentials out', () => {
  it('redacts credential fields and headers', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1', 'x-api-key': 'k-123456' } },
        password: 'hunter2-hunter2',
        body: { password: 'p4ssw0rd-long', secret: 's3cr3t-value', apiKey: 'plain-key-1' },
        env: { COMPANIES_HOUSE_API_KEY: 'ch-key-0000' },
      },
      'request',
    );
    const line = lines.join('');
    for (const leaked of [
      'abc.def.ghi',
      'sid=1',
      'k-123456',
      'hunter2',
      'p4ssw0rd',
      's3cr3t',
      'plain-key-1',
      'ch-key-0000',
    ])
      expect(line).not.toContain(leaked);
    expect(JSON.parse(line).req.headers.authorization).toBe('[redacted]');
  });

  it('scrubs secrets inside strings, messages and errors: webhook secrets, API keys, tokens, URL credentials', () => {
    const { logger, lines } = capture();
    const key = 'a1b2c3d4e5f6a7b8c9d0';
    logger.warn(
      {
        err: new Error(`GET https://${key}:@api.company-information.service.gov.uk/company/1 failed`),
        url: '/v1/x?api_key=qwertyuiop&page=2',
        note: 'signed with whsec_ZmFrZXNlY3JldGZha2VzZWNyZXQ= by gfk_abcdefghijklmnop',
        header: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      },
      `registry https://${key}:@api.company-information.service.gov.uk/ answered 401`,
    );
    const line = lines.join('');
    for (const leaked of [
      key,
      'qwertyuiop',
      'ZmFrZXNlY3JldGZha2VzZWNyZXQ',
      'abcdefghijklmnop',
      'eyJzdWIiOiIxIn0',
    ])
      expect(line).not.toContain(leaked);
    const parsed = JSON.parse(line);
    expect(parsed.url).toBe('/v1/x?api_key=[redacted]&page=2');
    expect(parsed.msg).toContain('https://[redacted]@api.company-information.service.gov.uk/');
    expect(parsed.err.message).toContain('[redacted]@api.company-information');
  });

  it('leaves ordinary lines untouched', () => {
    const { logger, lines } = capture();
    logger.info(
      { requestId: 'r-1', route: '/v1/companies/{id}', status: 200, email: 'a@b.example' },
      'request',
    );
    expect(JSON.parse(lines[0]!)).toMatchObject({
      requestId: 'r-1',
      route: '/v1/companies/{id}',
      email: 'a@b.example',
    });
  });
});
