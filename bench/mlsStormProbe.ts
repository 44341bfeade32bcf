/**
 * A probe member of bench:mls-storm in its own process (forked by bench/mlsStorm.ts), so that the CPU
 * one member spends in the storm is measured exactly (process.cpuUsage of a process that holds only
 * that member) rather than shared out of a process that holds all the others. The same code as every
 * other member (bench/mlsStormMember.ts).
 *
 * Protocol with the parent: `{ join: {...} }` joins and answers `{ joined: true }`; `report` answers
 * `{ summary, cpuMicros }` (CPU since the join was asked for); `leave` leaves and exits.
 */
import { joinStormMember, pretendScriptTransform, summarize, type StormMember } from './mlsStormMember.js';

interface JoinRequest {
  join: { url: string; meetingId: string; name: string; forwardedFor: string };
}

pretendScriptTransform();
let member: StormMember | undefined;
let cpu0 = process.cpuUsage();
process.on('message', (message: JoinRequest | 'report' | 'leave') => {
  if (message === 'report') {
    const cpu = process.cpuUsage(cpu0);
    process.send?.({ summary: member && summarize(member), cpuMicros: cpu.user + cpu.system });
  } else if (message === 'leave') {
    member?.leave();
    setTimeout(() => process.exit(0), 200);
  } else {
    cpu0 = process.cpuUsage();
    void joinStormMember(message.join).then((m) => {
      member = m;
      process.send?.({ joined: true });
    });
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
