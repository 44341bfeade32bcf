/**
 * The server of bench:mls-storm in its own process (forked by bench/mlsStorm.ts), so that its CPU is
 * measured apart from the members' and its timers (batching, committer deadline) run on their own
 * event loop, as they would on a server that is not also hosting every client. Convene with the
 * in-memory media engine (real signaling, admission, rosters, PGlite and the MLS delivery service; no
 * media), loopback as a trusted proxy so each member can come from its own address.
 *
 * Protocol with the parent: sends `{ url }` once listening; closes on the message `close`.
 */
import { MemoryEngine } from '../src/media/memory/MemoryEngine.js';
import { startTestServer } from '../test/support/server.js';

const server = await startTestServer(
  { geo: { trustedProxies: ['127.0.0.1', '::1'] }, maxParticipantsPerMeeting: 5000 },
  { engine: new MemoryEngine() },
);
process.on('message', (message) => {
  if (message !== 'close') return;
  void server.close().finally(() => process.exit(0));
});
process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
process.send?.({ url: server.url });
