// The search box with suggestions as you type (GET /api/v1/search/suggest): a title opens
// its page, a word searches. Enter searches for what was typed.
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { AutoComplete, Input } from 'antd';
import { api } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';

/** A sentence about oneself goes to the question mode; a few words to keyword search. */
export function looksLikeQuestion(text: string): boolean {
  return text.length >= 12 && /[？?]|我|有什么|能不能|可以/.test(text);
}

interface Option { value: string; label: string; to: string }

export function SearchBox({ initial = '', size = 'large', onSearch }: { initial?: string; size?: 'large' | 'middle'; onSearch?: (q: string) => void }) {
  const { t } = useI18n();
  const nav = useNavigate();
  const [value, setValue] = useState(initial);
  const [options, setOptions] = useState<Option[]>([]);
  const seq = useRef(0);
  useEffect(() => setValue(initial), [initial]);
  useEffect(() => {
    const q = value.trim();
    if (!q) { setOptions([]); return; }
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      api.get('/api/v1/search/suggest', { query: { q: q.slice(0, 50), size: 8 } }).then((r) => {
        if (mine !== seq.current) return; // a later keystroke won
        setOptions(r.suggestions.map((s, i) => ({
          value: `${i}:${s.text}`,
          label: s.text,
          to: s.item_id ? `/items/${encodeURIComponent(s.item_id)}` : s.document_id ? `/documents/${encodeURIComponent(s.document_id)}` : `/search?q=${encodeURIComponent(s.text)}`,
        })));
      }, () => setOptions([]));
    }, 150);
    return () => clearTimeout(timer);
  }, [value]);
  const search = (q: string) => {
    const text = q.trim();
    if (!text) return;
    if (onSearch) onSearch(text);
    else if (looksLikeQuestion(text)) nav(`/search?ask=${encodeURIComponent(text)}`);
    else nav(`/search?q=${encodeURIComponent(text)}`);
  };
  return (
    <AutoComplete
      style={{ width: '100%' }}
      value={value}
      options={options.map((o) => ({ value: o.value, label: o.label }))}
      onChange={(v: string) => setValue(/^\d+:/.test(v) ? v.replace(/^\d+:/, '') : v)}
      onSelect={(v: string) => {
        const o = options.find((x) => x.value === v);
        if (o) nav(o.to);
      }}
    >
      <Input.Search
        size={size}
        placeholder={t('搜索政策、事项，或直接提问：我是做轴承的小微企业，有什么补贴？', 'Search policies, or ask: what subsidies can a small bearing maker get?')}
        aria-label={t('搜索政策', 'Search policies')}
        enterButton={t('搜索', 'Search')}
        allowClear
        onSearch={search}
      />
    </AutoComplete>
  );
}
