import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../src/server/logger.js';
import { humanLine } from '../../src/server/prettyLog.js';

test('a JSON log line becomes one readable line with its fields', () => {
  const line = humanLine(
    JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 0, 1, 12, 4, 5),
      subsystem: 'media',
      msg: 'janus exited',
      code: 1,
    }),
  );
  assert.equal(line, '12:04:05 WARN  media janus exited code=1\n');
  assert.equal(humanLine('not json'), 'not json');
});

test('the pretty logger writes readable lines, still redacted', () => {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    pretty: true,
    destination: { write: (l: string) => void lines.push(humanLine(l)) },
  });
  logger.info({ cookie: 'secret-cookie', meeting: 'AAAAAAAAAAAAAAAAAAAAAA' }, 'hello');
  assert.match(lines[0] ?? '', /INFO {2}hello cookie=\[redacted\] meeting=m#/);
  assert.doesNotMatch(lines.join(''), /secret-cookie|AAAAAAAAAAAAAAAAAAAAAA/);
});
