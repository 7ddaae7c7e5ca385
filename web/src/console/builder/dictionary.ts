// The field dictionary in the browser: fetched once from GET /api/v1/dictionary and rebuilt
// into an engine Dictionary, so that the rule checker and the test cases run here with the
// same engine (and the same vocabulary) as on the server.
import { useEffect, useState } from 'react';
import { createDictionary, createRegionTree } from '../../../../engine/src/dictionary/dictionary.ts';
import type { Dictionary, FieldDef } from '../../../../engine/src/dictionary/types.ts';
import { api } from '../../app/api.ts';
import type { ResponseOf } from '../../../../server/client/client.ts';

export type DictionaryView = ResponseOf<'/api/v1/dictionary', 'get'>;
export type RegionView = DictionaryView['regions'][number];

export interface BrowserDictionary {
  view: DictionaryView;
  dict: Dictionary;
}

/** The engine dictionary of a view (entity_kind is built in: createDictionary adds it again). */
export function toEngineDictionary(view: DictionaryView): Dictionary {
  const names = Object.fromEntries(view.regions.map((r) => [r.code, r.name]));
  const zones = view.regions.filter((r) => r.members?.length).map((r) => ({ code: r.code, name: r.name, members: r.members! }));
  return createDictionary({
    fields: view.fields.filter((f) => f.key !== 'entity_kind') as FieldDef[],
    enums: view.enums.filter((e) => e.name !== 'entity_kind'),
    sources: view.sources,
    regions: createRegionTree({ names, zones }),
  });
}

let pending: Promise<BrowserDictionary> | undefined;

export function loadDictionary(): Promise<BrowserDictionary> {
  pending ??= api.get('/api/v1/dictionary').then((view) => ({ view, dict: toEngineDictionary(view) }));
  pending.catch(() => { pending = undefined; });
  return pending;
}

export function useDictionary(): { data?: BrowserDictionary; error?: unknown } {
  const [state, setState] = useState<{ data?: BrowserDictionary; error?: unknown }>({});
  useEffect(() => {
    let live = true;
    loadDictionary().then((data) => live && setState({ data }), (error: unknown) => live && setState({ error }));
    return () => { live = false; };
  }, []);
  return state;
}
