/**
 * The pre-join preview's answer (`GET /api/meetings/:id/preview`, docs/api.md "Pre-join preview"):
 * what a viewer may know about a meeting before joining. Shared by the server (app/preview.ts) and the
 * client library.
 */
export type MeetingPreview =
  | { passcodeRequired: true }
  | {
      passcodeRequired: false;
      title: string;
      /** `open`: seated at once; `lobby`: a host lets you in; `closed`: locked or full. */
      entry: 'open' | 'lobby' | 'closed';
      webinar: boolean;
      /** `names` only when the viewer may see them (an open meeting, not a webinar), else null. */
      participants: { count: number; names: string[] | null };
    };
