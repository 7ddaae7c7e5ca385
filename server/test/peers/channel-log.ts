// A ChannelLog for adapter tests that writes JSON lines into a capture, so the end-of-run
// scan sees everything the adapters logged, and the test can look for addresses itself.
import type { ChannelLog } from '../../src/modules/push/channels/common.ts';
import { captureLogs, type LogCapture } from '../logs.ts';

export function channelLogCapture(name: string): { log: ChannelLog; logs: LogCapture } {
  const logs = captureLogs(name);
  const line = (level: string) => (obj: Record<string, unknown>, msg: string) => logs.write(`${JSON.stringify({ level, ...obj, msg })}\n`);
  return { log: { info: line('info'), warn: line('warn') }, logs };
}
