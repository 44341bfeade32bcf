/**
 * English strings of end-to-end encryption in the room: the lock, the Encryption dialog and its safety
 * code, the key-group marks in People, the warning, "cannot decrypt" and the notices. Merged into the
 * same namespace by i18n/index.ts; the other languages have exactly these keys and variables
 * (test/unit/i18n.test.ts).
 */
export const e2eeEn = {
  e2ee: {
    lock: {
      encrypted: 'End-to-end encrypted',
      waiting: 'Waiting for encryption keys',
      warning: 'Encryption warning: the participant list does not match',
      failed: 'Cannot decrypt this meeting',
    },
    lockTitle: '{{state}}. Show the safety code',
    dialog: {
      title: 'Encryption',
      encrypted_one:
        'Audio, video and chat are encrypted end to end. Only the {{count}} person in the encryption group can decrypt them; the server forwards what it cannot read.',
      encrypted_other:
        'Audio, video and chat are encrypted end to end. Only the {{count}} people in the encryption group can decrypt them; the server forwards what it cannot read.',
      waiting:
        'Your browser is joining the encryption group. Nothing is sent or shown until the keys arrive.',
      warning:
        'The server’s participant list and the encryption group disagree: someone may be listening who was not announced. The People panel shows who holds the keys.',
      codeLabel: 'Safety code',
      codeHow:
        'Everyone in the meeting sees the same code. Read it aloud, group by group, and ask the others to compare it with theirs. If it differs, someone may be intercepting between you.',
      codeChanges: 'The code changes whenever someone joins or leaves: compare it again after that.',
      noCode: 'No safety code yet: it appears once the keys arrive.',
      showPeople: 'Show who can decrypt',
    },
    codeChanged: 'The safety code changed. Compare it again.',
    showCode: 'Show the code',
    joined: '{{name}} joined the encryption group and can decrypt.',
    left: '{{name}} left the encryption group and can no longer decrypt.',
    warning: {
      title: 'Warning: the server’s participant list and the encryption group disagree.',
      body: 'Someone may be listening who was not announced.',
      unannounced: 'In the encryption group but not announced: {{names}}.',
      missing: 'Announced but not in the encryption group: {{names}}.',
      details: 'Show people',
      unknownName: 'unknown ({{id}})',
    },
    failed: {
      title: 'Cannot decrypt this meeting',
      body: 'You see and hear nothing from the meeting, and nothing you send can be read.',
    },
    failure: {
      e2ee_unsupported:
        'This browser cannot encrypt calls end to end. Join from an up-to-date browser on a computer.',
      mls_join_failed: 'Your browser could not join the encryption group. Leave and join again.',
      mls_removed: 'You were removed from the encryption group: you cannot decrypt anything sent after that.',
      keys_missing: 'The keys for this meeting did not reach your browser. Leave and join again.',
      unknown: 'Encryption failed in your browser ({{code}}). Leave and join again.',
    },
    tileWaiting: 'Waiting for encryption keys',
    people: {
      note: 'This list is the encryption group as your browser checked it: everyone in it can decrypt.',
      identities:
        'Guest: a name the person typed, not verified. Signed-in account: checked by this server when they signed in.',
      guest: 'Guest (name not verified)',
      account: 'Signed-in account',
      notInGroup: 'Not in the encryption group: cannot decrypt',
      duplicate: 'Same name as someone else: compare the safety code',
      ghost: 'Not announced by the server, but can decrypt',
      unknownName: 'Unknown name',
    },
  },
};

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
/** Every language has the English keys of the encryption strings. */
export type E2eeCatalog = Strings<typeof e2eeEn>;
