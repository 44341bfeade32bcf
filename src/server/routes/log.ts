/**
 * The tamper-evident log over HTTP, as c2sp.org/tlog-tiles lays it out under `/log/`: the latest
 * checkpoint, tiles and entry bundles (immutable once full, so any cache may keep them), plus the
 * log's public key, the latest checkpoint every configured witness cosigned, and the witnesses'
 * status. Public, no sign-in. docs/transparency.md has the formats.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { LogPublisher } from '../../app/transparency/LogPublisher.js';
import { TILE_WIDTH, parseTilePath } from '../../ledger/index.js';
import type { LedgerRepo } from '../../store/ledgerTypes.js';
import { ByteLru } from '../../util/ByteLru.js';
import { ConveneError } from '../../errors.js';

const TEXT = 'text/plain; charset=utf-8';

/** Memory for full tiles and bundles: about 100,000 entries' worth at ~240 bytes each. */
const FULL_TILE_CACHE_BYTES = 24 * 1024 * 1024;

export function logRoutes(app: FastifyInstance, deps: { log: LogPublisher; ledger: LedgerRepo }): void {
  const { log, ledger } = deps;
  const text = (reply: FastifyReply, body: string, cache: string) =>
    reply.type(TEXT).header('cache-control', cache).send(body);

  app.get('/log/key', (_req, reply) => text(reply, `${log.verifierKey}\n`, 'public, max-age=3600'));

  app.get('/log/checkpoint', async (_req, reply) => {
    const c = await ledger.latestCheckpoint();
    if (!c) throw new ConveneError('not_found', 'The log has no checkpoint yet.');
    return text(reply, c.note, 'no-cache');
  });

  app.get('/log/cosigned-checkpoint', async (_req, reply) => {
    const c = await ledger.latestCosigned();
    if (!c?.cosigned)
      throw new ConveneError('not_found', 'No checkpoint has been cosigned by every witness yet.');
    return text(reply, c.cosigned, 'no-cache');
  });

  app.get('/log/witnesses', async () => ({
    witnesses: (await ledger.witnesses()).map((w) => ({ ...w, checkedAt: w.checkedAt.toISOString() })),
  }));

  // Full tiles and bundles never change, so the ones read recently are kept in memory: an audit of
  // the whole log then costs the database one read per tile, and a second audit none.
  const fullTiles = new ByteLru(FULL_TILE_CACHE_BYTES);
  app.get('/log/tile/*', async (req, reply) => {
    const path = `tile/${(req.params as { '*': string })['*']}`;
    const ref = parseTilePath(path);
    if (!ref) throw new ConveneError('not_found', 'No such tile.');
    const full = ref.width === TILE_WIDTH;
    let data = full ? fullTiles.get(path) : undefined;
    if (!data) {
      data = (await ledger.readTiles([path])).get(path);
      if (!data) throw new ConveneError('not_found', 'No such tile.');
      if (full) fullTiles.set(path, data);
    }
    return reply
      .type('application/octet-stream')
      .header('cache-control', full ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
}
