// Reading policy files from disk: every *.yaml below a folder, loaded, validated against
// the dictionary, with every error tied to its file (and line and column where known).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EngineError, loadPolicyDocument, validateItem, type Dictionary, type PolicyDocument, type PolicyItem } from '@kx/engine';

export interface LoadedCatalogue {
  documents: PolicyDocument[];
  items: PolicyItem[];
  /** file of each document, by document id */
  files: Map<string, string>;
  errors: EngineError[];
}

export function listPolicyFiles(path: string): string[] {
  const st = statSync(path);
  if (st.isFile()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const p = join(path, name);
    if (statSync(p).isDirectory()) out.push(...listPolicyFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

export function loadCatalogue(path: string, dict: Dictionary, opts: { validate?: boolean } = {}): LoadedCatalogue {
  const cat: LoadedCatalogue = { documents: [], items: [], files: new Map(), errors: [] };
  const seen = new Map<string, string>();
  for (const file of listPolicyFiles(path)) {
    const name = relative(process.cwd(), file) || file;
    const { doc, errors } = loadPolicyDocument(readFileSync(file, 'utf8'), name);
    cat.errors.push(...errors);
    if (!doc) continue;
    cat.documents.push(doc);
    cat.files.set(doc.id, name);
    for (const item of doc.items) {
      const prev = seen.get(item.id);
      if (prev)
        cat.errors.push(new EngineError('POLICY_FILE', `事项编号 "${item.id}" 重复（亦见于 ${prev}）`, `duplicate item id "${item.id}" (also in ${prev})`, undefined, name));
      seen.set(item.id, name);
      if (opts.validate !== false) cat.errors.push(...validateItem(item, dict, name));
      cat.items.push(item);
    }
  }
  return cat;
}
