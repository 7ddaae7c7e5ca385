// The part of the `smpp` package (v0.5, no bundled types) the SMS channel and its test peer use.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  /** A decoded PDU: header fields, the command's parameters and any TLVs, by name. */
  export interface PDU {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
  }

  export type ResponseCallback = (pdu: PDU) => void;

  export class Session extends EventEmitter {
    socket: import('node:net').Socket;
    send(pdu: PDU, responseCallback?: ResponseCallback, sendCallback?: ResponseCallback): boolean;
    bind_transceiver(options: Record<string, unknown>, responseCallback?: ResponseCallback): boolean;
    submit_sm(options: Record<string, unknown>, responseCallback?: ResponseCallback): boolean;
    deliver_sm(options: Record<string, unknown>, responseCallback?: ResponseCallback): boolean;
    enquire_link(options?: Record<string, unknown> | ResponseCallback, responseCallback?: ResponseCallback): boolean;
    unbind(options?: Record<string, unknown> | ResponseCallback, responseCallback?: ResponseCallback): boolean;
    pause(): void;
    resume(): void;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  export interface Encoding {
    match(value: string): boolean;
    encode(value: string): Buffer;
    decode(value: Buffer): string;
  }

  export interface TlvType {
    read(buffer: Buffer, offset: number, length?: number): unknown;
    write(value: unknown, buffer: Buffer, offset: number): void;
    size(value: unknown): number;
  }

  interface Smpp {
    connect(options: { host: string; port: number; tls?: boolean; auto_enquire_link_period?: number; [option: string]: unknown }, listener?: () => void): Session;
    createServer(options: Record<string, unknown>, listener: (session: Session) => void): Server;
    addTLV(tag: string, options: { id: number; type: TlvType; multiple?: boolean }): void;
    encodings: { ASCII: Encoding; LATIN1: Encoding; UCS2: Encoding };
    types: { tlv: { cstring: TlvType; int8: TlvType; int16: TlvType; string: TlvType; buffer: TlvType } };
    errors: Record<string, number>;
    ESME_ROK: number;
    ESME_RTHROTTLED: number;
    ESME_RINVPASWD: number;
    ESME_RINVDSTADR: number;
    ESME_RSYSERR: number;
    ESME_RMSGQFUL: number;
  }

  const smpp: Smpp;
  export default smpp;
}
