// SMS: one channel, several gateways. The channel checks the number and hands the text to the
// configured gateway (SMPP to an operator's SMSC, or a city's HTTP SMS service); gateways
// report delivery receipts, when they have them, through `onReceipt`.
import type { ChannelAdapter, SendOutcome } from '../channel.ts';

export interface Sms {
  deliveryId: string;
  /** Mainland mobile number, 11 digits (13812345678); gateways add the country code if they need it. */
  to: string;
  text: string;
}

export interface SmsGateway {
  readonly kind: 'smpp' | 'http';
  submit(sms: Sms): Promise<SendOutcome>;
  close(): Promise<void>;
}

/** A delivery receipt from the network: the handset has (or will never have) the message. */
export interface SmsReceipt {
  /** Our delivery, when this process still knows which submission the receipt is for. */
  deliveryId?: string;
  /** The gateway's id, as returned in the `sent` outcome (providerId). */
  providerId: string;
  state: 'delivered' | 'failed';
  /** The network's status word (UNDELIV, EXPIRED …) for failures. */
  error?: string;
}

export type ReceiptListener = (receipt: SmsReceipt) => void;

/** Accepts +86 138…, 86-138…, 138 1234 5678 …; returns 11 digits or 86 + 11 digits, or undefined. */
export function normalisePhone(raw: string): { national: string; international: string } | undefined {
  const digits = raw.replace(/[\s()-]/g, '').replace(/^\+/, '');
  const m = /^(?:0086|86)?(1[3-9]\d{9})$/.exec(digits);
  return m ? { national: m[1], international: `86${m[1]}` } : undefined;
}

export function createSmsChannel(gateway: SmsGateway): ChannelAdapter {
  return {
    name: 'sms',
    async send(m) {
      const phone = normalisePhone(m.to);
      if (!phone) return { status: 'failed', error: 'not a mainland mobile number' };
      if (!m.body.trim()) return { status: 'failed', error: 'empty text' };
      return gateway.submit({ deliveryId: m.deliveryId, to: phone.national, text: m.body });
    },
    close: () => gateway.close(),
  };
}
