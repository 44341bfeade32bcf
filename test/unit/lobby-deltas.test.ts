import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextLobby } from '../../src/client/sessionState.js';
import type { LobbyEntry } from '../../src/protocol/messages.js';

const entry = (id: string, waitingSince = 0): LobbyEntry => ({
  id,
  displayName: id,
  signedIn: false,
  waitingSince,
});

test('the client keeps the lobby from deltas: arrivals appended in order, removals by id', () => {
  let lobby: LobbyEntry[] = [entry('a')];
  lobby = nextLobby(lobby, { added: [entry('b')] });
  lobby = nextLobby(lobby, { added: [entry('c'), entry('d')] });
  assert.deepEqual(
    lobby.map((e) => e.id),
    ['a', 'b', 'c', 'd'],
  );
  lobby = nextLobby(lobby, { removed: ['b', 'd', 'not-there'] });
  assert.deepEqual(
    lobby.map((e) => e.id),
    ['a', 'c'],
  );
});

test('an arrival delivered twice (after a resume) is kept once, with its latest entry', () => {
  const lobby = nextLobby([entry('a', 1), entry('b', 2)], { added: [entry('a', 5)] });
  assert.deepEqual(
    lobby.map((e) => [e.id, e.waitingSince]),
    [
      ['b', 2],
      ['a', 5],
    ],
  );
});
