// Department names in the reader's language (GET /api/v1/departments, public, cached for the
// tab): pages that only have a department's code — dashboards, document issuers, the item page
// in English — show its name, never the code (QA 8).
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { useI18n } from './i18n.tsx';

type Names = Map<string, { zh: string; en: string }>;

let cache: Promise<Names> | undefined;
function loadDepartments(): Promise<Names> {
  cache ??= api.get('/api/v1/departments').then(
    (rows) => new Map(rows.map((d) => [d.code, { zh: d.name, en: d.name_en }])),
    (e: unknown) => { cache = undefined; throw e; },
  );
  return cache;
}

/** A chart axis has room for little: "Liaocheng Bureau of Civil Affairs" → "Civil Affairs". */
export const shortDepartment = (name: string) => name.replace(/^Liaocheng (?!City)/, '').replace(/^(.*?)Bureau of /, '$1').replace(/^聊城市/, '市');

/** (code, name the API gave in Chinese?) → the department's name in the current language. */
export function useDepartmentName(): (code: string | null | undefined, zh?: string) => string {
  const { locale } = useI18n();
  const [names, setNames] = useState<Names>();
  useEffect(() => { loadDepartments().then(setNames, () => {}); }, []);
  return (code, zh) => {
    if (!code) return zh ?? '—';
    const n = names?.get(code);
    if (!n) return zh ?? code;
    return locale === 'en' ? n.en : n.zh;
  };
}
