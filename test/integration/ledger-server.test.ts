/**
 * The published log, end to end on this machine: a real server, two real `convene witness`
 * processes, operator actions over HTTP, and the real `convene audit verify` command. Then the log is
 * rewritten in the database (as an operator hiding an action would) and both the witnesses and the
 * verifier must catch it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeLogEntry, logEntryOf } from '../../src/app/transparency/logEntry.js';
import {
  TileAppender,
  cosignatureVerifier,
  ed25519Verifier,
  parseCheckpoint,
  parseVerifierKey,
  tilePath,
  verifyNote,
} from '../../src/ledger/index.js';
import { startWitnessProcess, stopWitnessProcess, type RunningWitness } from '../support/witnessProcess.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { newOperator, type OperatorClient } from '../support/operators.js';

const BIN = new URL('../../bin/convene.js', import.meta.url).pathname;

interface Witness extends RunningWitness {
  dir: string;
}

async function startWitness(dir: string, log: string): Promise<Witness> {
  return { ...(await startWitnessProcess(['--log', log, '--port', '0', '--data-dir', dir])), dir };
}

const stopWitness = (w: Witness) => stopWitnessProcess(w);

/** The real command, asynchronously (a synchronous spawn would block this process's server). */
function audit(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'audit', 'verify', ...args]);
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

async function text(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

describe('the operator log, published and witnessed', () => {
  let server: TestServer;
  let witnesses: Witness[] = [];
  let logKey: string;
  let intake: OperatorClient;
  let reviewer: OperatorClient;
  let meetingId: string;
  const dirs: string[] = [];

  before(async () => {
    // First start: the key is generated; witnesses need it before they can follow the log.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-ledger-'));
    dirs.push(dataDir);
    const first = await startTestServer({ dataDir }, { keepDataDir: true });
    logKey = (await text(`${first.url}/log/key`)).body.trim();
    await first.close();
    const origin = parseVerifierKey(logKey).name;
    for (let i = 0; i < 2; i++) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'convene-witness-'));
      dirs.push(dir);
      witnesses.push(await startWitness(dir, `${origin}=${logKey}`));
    }
    server = await startTestServer({
      dataDir,
      caseClockMs: 200,
      log: { checkpointMs: 300, witnesses: witnesses.map((w) => ({ url: w.url, key: w.vkey })) },
    });
    intake = await newOperator(server, 'intake');
    reviewer = await newOperator(server, 'reviewer');
    meetingId = await server.createMeeting('Vigil');
  });

  after(async () => {
    await server?.close();
    await Promise.all(witnesses.map(stopWitness));
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  test('the key is stable across restarts and every operator action is an entry', async () => {
    assert.equal((await text(`${server.url}/log/key`)).body.trim(), logKey);
    const rows = await server.store.record.list(0, 1000);
    assert.ok(rows.length >= 4, 'operators added and enrolled');
    assert.deepEqual(
      rows.map((r) => r.logIndex),
      rows.map((_, i) => i),
      'log indexes follow the record order without gaps',
    );
    assert.equal(await server.store.ledger.size(), rows.length);
  });

  test('each checkpoint is signed by the log and cosigned by both witnesses; audit verify accepts it', async () => {
    const r = await intake.api<{ ref: string }>('POST', '/api/operator/cases', {
      authority: 'A ministry',
      jurisdiction: 'CN',
      legalBasis: 'A law',
      receivedOn: '2026-06-01',
      demands: ['end_meeting', 'remove_participants'],
      targets: [{ kind: 'meeting', link: meetingId }],
    });
    assert.equal(r.status, 201);
    const ref = r.body.ref;
    assert.equal((await reviewer.api('POST', `/api/operator/cases/${ref}/review`, {})).status, 200);
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const decided = await reviewer.api('POST', `/api/operator/cases/${ref}/decision`, {
      outcome: 'withhold',
      reason: 'Narrowest action the law allows',
      targets: [0],
      expiresAt,
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));

    // The case clock records what the decision withheld shortly after; let it, then sign.
    const settled = async () => {
      let size = -1;
      while (size !== (size = await server.store.ledger.size())) await new Promise((r) => setTimeout(r, 600));
    };
    await settled();
    const signed = await server.log.checkpointNow();
    const size = await server.store.ledger.size();
    assert.equal(signed?.size, size);
    assert.ok(signed?.cosigned, 'both witnesses cosigned');
    const cp = await text(`${server.url}/log/checkpoint`);
    assert.equal(cp.status, 200);
    assert.equal(
      parseCheckpoint(verifyNote(cp.body, [ed25519Verifier(parseVerifierKey(logKey))]).text).size,
      size,
    );
    const cosigned = (await text(`${server.url}/log/cosigned-checkpoint`)).body;
    const v = verifyNote(
      cosigned,
      witnesses.map((w) => cosignatureVerifier(parseVerifierKey(w.vkey))),
    );
    assert.equal(v.verified.length, 2, 'a cosignature from each witness');
    const status = (await (await fetch(`${server.url}/log/witnesses`)).json()) as {
      witnesses: { status: string; size: number }[];
    };
    assert.deepEqual(
      status.witnesses.map((w) => [w.status, w.size]),
      [
        ['ok', size],
        ['ok', size],
      ],
    );

    const res = await audit([
      server.url,
      '--key',
      logKey,
      ...witnesses.flatMap((w) => ['--witness', w.vkey]),
    ]);
    assert.equal(res.code, 0, res.out);
    assert.match(res.out, new RegExp(`${size} entries`));
    // The wrong key for the log is a failure, not a warning.
    const wrong = await audit([
      server.url,
      '--key',
      witnesses[0]!.vkey.replace(/^[^+]+/, parseVerifierKey(logKey).name),
    ]);
    assert.equal(wrong.code, 1, wrong.out);
  });

  test('a tile served from the database after one byte changed fails the audit', async () => {
    // The bundle of the tree the latest checkpoint covers (the case clock may have appended since).
    const size = (await server.log.checkpointNow())!.size;
    const path0 = tilePath({ level: 'entries', index: 0, width: size });
    const original = (await server.store.ledger.readTiles([path0])).get(path0)!;
    const edited = original.slice();
    edited[edited.length - 3]! ^= 0x01;
    await server.store.ledger.putTiles([{ path: path0, data: edited }]);
    const served = new Uint8Array(await (await fetch(`${server.url}/log/${path0}`)).arrayBuffer());
    assert.deepEqual(served, edited, 'the edited bundle is what the server serves');
    const res = await audit([server.url, '--key', logKey]);
    assert.equal(res.code, 1, res.out);
    assert.match(res.out, /FAIL tiles: .*does not match/);
    await server.store.ledger.putTiles([{ path: path0, data: original }]);
    assert.equal((await audit([server.url, '--key', logKey])).code, 0);
  });

  test('the log rewritten consistently in the database: witnesses refuse and the verifier catches it', async () => {
    const keys = witnesses.flatMap((w) => ['--witness', w.vkey]);
    const saved = path.join(dirs[0]!, 'audited.checkpoint');
    assert.equal((await audit([server.url, '--key', logKey, '--save', saved, ...keys])).code, 0);
    const cosignedBefore = (await text(`${server.url}/log/cosigned-checkpoint`)).body;

    // Rewrite history: the decision now says it withheld nothing, and every tile is rebuilt from the
    // edited record, so the tiles are self-consistent (an audit of the tiles alone would pass).
    const rows = await server.store.record.list(0, 10_000);
    const target = rows.findIndex((r) => r.action === 'case.decided');
    assert.ok(target >= 0);
    const edited = rows.map((r, i) => (i === target ? { ...r, details: { ...r.details, meetings: 0 } } : r));
    const appender = TileAppender.empty();
    const res = appender.append(edited.map((r) => encodeLogEntry(logEntryOf(r, r.logIndex!))));
    await server.store.transaction(async (tx) => {
      await tx.ledger.lockSize();
      await tx.ledger.deletePartialsExcept([]);
      await tx.ledger.putTiles(res.tiles.map((t) => ({ path: tilePath(t.ref), data: t.data })));
      await tx.ledger.setSize(res.size);
    });
    // One more action grows the rewritten log past the size the witnesses hold.
    await newOperator(server, 'intake');
    const after = await server.log.checkpointNow();
    assert.equal(after?.cosigned, null, 'no witness cosigned the rewritten log');
    const status = (await (await fetch(`${server.url}/log/witnesses`)).json()) as {
      witnesses: { status: string; detail: string }[];
    };
    assert.deepEqual(
      status.witnesses.map((w) => w.status),
      ['refused', 'refused'],
      JSON.stringify(status),
    );
    // The cosigned checkpoint still served is the honest one, and it is not a prefix of the new log.
    assert.equal((await text(`${server.url}/log/cosigned-checkpoint`)).body, cosignedBefore);
    const verdict = await audit([server.url, '--key', logKey, '--previous', saved, ...keys]);
    assert.equal(verdict.code, 1, verdict.out);
    assert.match(verdict.out, /FAIL consistency with the cosigned checkpoint/);
    assert.match(verdict.out, /FAIL consistency with the previous checkpoint/);
    await writeFile(saved, '');
  });
});
