// Realistic inputs for the catalogue tests: the demo catalogue in data/policies, loaded
// once, and helpers that turn one of its items into what a clerk would send.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { liaochengDictionary, loadCatalogue, type LoadedCatalogue } from '@kx/data';
import type { PolicyDocument, PolicyItem } from '@kx/engine';
import type { ItemInput } from './schema.ts';

export const POLICIES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'data', 'policies');

let cached: LoadedCatalogue | undefined;
export function demoCatalogue(): LoadedCatalogue {
  cached ??= loadCatalogue(POLICIES_DIR, liaochengDictionary());
  if (cached.errors.length) throw new Error(`data/policies does not load: ${cached.errors[0].message}`);
  return cached;
}

export function demoDocument(id: string): PolicyDocument {
  const d = demoCatalogue().documents.find((x) => x.id === id);
  if (!d) throw new Error(`no demo document ${id}`);
  return structuredClone(d);
}

export function demoItem(id: string): PolicyItem {
  const it = demoCatalogue().items.find((x) => x.id === id);
  if (!it) throw new Error(`no demo item ${id}`);
  return structuredClone(it);
}

/** The policy file's text, as a clerk would upload it. */
export function demoYaml(documentId: string): string {
  // loadCatalogue names files relative to the working directory
  return readFileSync(demoCatalogue().files.get(documentId)!, 'utf8');
}

/** An item as the visual editor sends it: rules as text. */
export function asInput(item: PolicyItem): ItemInput {
  const { document_id: _d, eligibility, amount, eligibility_text, amount_text, ...rest } = structuredClone(item);
  void _d;
  return {
    ...(rest as Omit<ItemInput, 'eligibility' | 'amount'>),
    eligibility: eligibility_text ?? (eligibility as ItemInput['eligibility']),
    ...(amount ? { amount: amount_text ?? (amount as ItemInput['amount']) } : {}),
  } as ItemInput;
}
