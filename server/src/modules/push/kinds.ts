// The eight events people are told about, the channels a notice can go out on, and the
// defaults that apply to a party that never said otherwise.
import type { ChannelName } from './channel.ts';

export const EVENT_KINDS = ['newly_eligible', 'auto_grant', 'missing_fact', 'application_status', 'review_deadline', 'payout_made', 'closing_soon', 'weekly_digest'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Channels with deliveries (the inbox is the notice itself and always on). */
export const DELIVERY_CHANNELS = ['webpush', 'email', 'sms', 'webhook'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number] & ChannelName;

/** Channels a person chooses for themself (webhooks belong to source systems). */
export const PERSONAL_CHANNELS = ['webpush', 'email', 'sms'] as const;
export type PersonalChannel = (typeof PERSONAL_CHANNELS)[number];

/** SMS costs money and interrupts: by default only for money and deadlines. */
export const SMS_DEFAULT_KINDS: readonly EventKind[] = ['auto_grant', 'payout_made', 'review_deadline', 'closing_soon'];

/** Quiet hours apply to these channels unless the party set its own. */
export const QUIET_CHANNELS_DEFAULT: readonly DeliveryChannel[] = ['sms', 'webpush'];
export const QUIET_DEFAULT = { starts: '22:00', ends: '08:00', timeZone: 'Asia/Shanghai' } as const;

/** Whether a party with no preference row gets this event on this channel (given an address). */
export function defaultEnabled(channel: PersonalChannel, kind: string): boolean {
  return channel === 'sms' ? (SMS_DEFAULT_KINDS as readonly string[]).includes(kind) : true;
}

/** The party a notice is for (mirrors push_party() in 020_push.sql). */
export const partyOfEntity = (entityId: string) => `entity:${entityId}`;
export const partyOfDepartment = (code: string) => `dept:${code}`;
