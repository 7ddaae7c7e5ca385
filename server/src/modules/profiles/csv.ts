// A streaming RFC 4180 reader: quoted fields with "" escapes and line breaks inside, CRLF
// or LF, a UTF-8 BOM. Written here rather than taking csv-parse because the import needs
// only this much, a record at a time with bounded memory, and its row numbers must be the
// ones a clerk sees in a spreadsheet (a record, not a physical line). Lenient where
// spreadsheets are: a stray quote inside an unquoted field is kept as a character.

export interface CsvRecord {
  /** 1-based record number (the header is record 1). */
  row: number;
  fields: string[];
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: an escaped quote or the end of the field. */
  QuoteInQuoted,
}

export class CsvError extends Error {}

export class CsvParser {
  private fields: string[] = [];
  private field = '';
  private state = State.FieldStart;
  private skipLF = false;
  private dirty = false;
  private row = 0;

  /** Feeds text; returns the records completed by it. */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.skipLF) {
        this.skipLF = false;
        if (text.charCodeAt(i) === LF) {
          i++;
          continue;
        }
      }
      switch (this.state) {
        case State.Quoted: {
          const j = text.indexOf('"', i);
          if (j < 0) {
            this.field += text.slice(i);
            i = n;
          } else {
            this.field += text.slice(i, j);
            this.state = State.QuoteInQuoted;
            i = j + 1;
          }
          break;
        }
        case State.QuoteInQuoted:
          if (text.charCodeAt(i) === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
            i++;
          } else this.state = State.Unquoted;
          break;
        case State.FieldStart:
          this.dirty = true;
          if (text.charCodeAt(i) === QUOTE) {
            this.state = State.Quoted;
            i++;
          } else this.state = State.Unquoted;
          break;
        case State.Unquoted: {
          let j = i;
          while (j < n) {
            const c = text.charCodeAt(j);
            if (c === COMMA || c === CR || c === LF) break;
            j++;
          }
          this.field += text.slice(i, j);
          if (j === n) {
            i = n;
            break;
          }
          const c = text.charCodeAt(j);
          this.fields.push(this.field);
          this.field = '';
          this.state = State.FieldStart;
          if (c !== COMMA) {
            out.push(this.endRecord());
            this.skipLF = c === CR;
          }
          i = j + 1;
          break;
        }
      }
    }
    return out;
  }

  /** Ends the input; returns the last record if the text did not end with a line break. */
  end(): CsvRecord[] {
    if (this.state === State.Quoted) throw new CsvError(`第 ${this.row + 1} 行：引号未闭合 / record ${this.row + 1}: unterminated quoted field`);
    if (!this.dirty) return [];
    this.fields.push(this.field);
    return [this.endRecord()];
  }

  private endRecord(): CsvRecord {
    const r = { row: ++this.row, fields: this.fields };
    this.fields = [];
    this.field = '';
    this.dirty = false;
    return r;
  }
}

/** Records of a UTF-8 byte stream. A file in another encoding (GBK) is refused, not garbled. */
export async function* readCsv(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = new CsvParser();
  const decode = (chunk: Uint8Array | string, stream: boolean) => {
    if (typeof chunk === 'string') return chunk;
    try {
      return decoder.decode(chunk, { stream });
    } catch {
      throw new CsvError('文件不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”后再导入 / the file is not UTF-8; save it as "CSV UTF-8" and import again');
    }
  };
  for await (const chunk of input) yield* parser.push(decode(chunk, true));
  yield* parser.push(decode(new Uint8Array(0), false));
  yield* parser.end();
}
