/** Building blocks shared by the protocol's schema files (messages.ts, mlsMessages.ts). */
import { Type, type TSchema } from '@sinclair/typebox';

export const PROTOCOL_VERSION = 1;

const Rid = Type.Optional(
  Type.String({ maxLength: 64, description: 'Request id; echoed on the reply or error to this message.' }),
);
export const ParticipantId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
/** Every object in this protocol is closed: an unknown field anywhere, at any depth, is refused. */
export const Closed = { additionalProperties: false } as const;

export function clientMessage<T extends string, P extends Record<string, TSchema>>(type: T, props: P) {
  return Type.Object(
    { v: Type.Literal(PROTOCOL_VERSION), type: Type.Literal(type), rid: Rid, ...props },
    Closed,
  );
}
