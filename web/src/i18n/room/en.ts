/**
 * English strings of the room's reactions, host spotlight, host leaving and meeting history. Kept
 * beside the main catalog (merged into the same namespace by i18n/index.ts); the other languages have
 * exactly these keys and variables (test/unit/i18n.test.ts).
 */
export const roomEn = {
  reactions: {
    button: 'Send a reaction',
    menu: 'Reactions',
    thumbsUp: 'Thumbs up',
    heart: 'Heart',
    joy: 'Tears of joy',
    surprised: 'Surprised',
    clap: 'Clapping',
    celebrate: 'Celebrate',
    reacted: '{{name}} reacted: {{reaction}}',
    tooFast: 'Too many reactions. Wait a moment.',
    failed: 'Could not send the reaction.',
  },
  spotlight: {
    set: 'Spotlight for everyone',
    setFor: 'Spotlight {{name}} for everyone',
    remove: 'Remove spotlight',
    setFailed: 'Could not spotlight {{name}}.',
    removeFailed: 'Could not remove the spotlight.',
    on: '{{name}} is spotlighted for everyone',
    onYou: 'You are spotlighted for everyone',
    off: 'The spotlight was removed',
    badge: 'Spotlight',
  },
  hostLeave: {
    title: 'Leave the meeting?',
    body: 'You are the host. Hand the host role to someone who stays, or end the meeting for everyone.',
    newHost: 'New host',
    handOver: 'Hand over and leave',
    handOverFailed: 'Could not hand the host role to {{name}}.',
    endForEveryone: 'End for everyone',
  },
  arrive: {
    readyFor: 'Ready to join {{title}}?',
    nobody: 'Nobody is in the meeting yet.',
    count_one: '{{count}} person is in the meeting.',
    count_other: '{{count}} people are in the meeting.',
    names: 'In the meeting: {{names}}',
    namesMore_one: 'In the meeting: {{names}} and {{count}} more',
    namesMore_other: 'In the meeting: {{names}} and {{count}} more',
    lobby: 'A host will let you in.',
    closed: 'The meeting is locked or full right now.',
    passcodeNeeded: 'This meeting may need a passcode: enter it below.',
    passcodeFromLink: 'Your link carries the passcode.',
    passcode: 'Passcode',
    copyLink: 'Copy link',
  },
  alone: {
    title: 'You are the only one here',
    body: 'Share the link to invite others.',
    copy: 'Copy link',
    hide: 'Hide this card',
  },
  history: {
    endedOn: 'Ended {{day}}',
  },
};

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
/** Every language has the English keys of the room strings. */
export type RoomCatalog = Strings<typeof roomEn>;
