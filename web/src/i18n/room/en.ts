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
  history: {
    endedOn: 'Ended {{day}}',
  },
};

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
/** Every language has the English keys of the room strings. */
export type RoomCatalog = Strings<typeof roomEn>;
