import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('logging keeps personal data out', () => {
  it('removes petitioner text, names, phones and tokens from logged objects', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    log.info({ text: '我叫张三,电话13812345678', phone: '13812345678', name: '张三', token: 'secret', details: { contactPhone: '13812345678' } }, 'turn');
    const out = lines.join('');
    expect(out).not.toContain('13812345678');
    expect(out).not.toContain('张三');
    expect(out).not.toContain('secret');
    expect(out).toContain('[redacted]');
  });

  it('masks phone and ID numbers that slip into a message string', () => {
    const { lines, stream } = capture();
    createLogger('info', stream).warn('could not reach 13812345678 about 11010519491231002X');
    const out = lines.join('');
    expect(out).not.toContain('13812345678');
    expect(out).not.toContain('11010519491231002X');
  });
});
