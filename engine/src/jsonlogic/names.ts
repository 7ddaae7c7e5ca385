// JsonLogic `var` paths and our field names. Query builders name fields after the UI
// (`user.age`, `firstName`); the dictionary uses snake_case identifiers. The default
// mapping joins path segments with `_` and splits camelCase, so `pie.filling` reads the
// field `pie_filling` and `birthDate` reads `birth_date`. Callers with other naming
// conventions pass their own mapping.
import { KEYWORDS } from '../syntax/lexer.ts';

const IDENT_RE = /^[a-z_][a-z0-9_]*$/;

export function defaultFieldName(varPath: string): string {
  return varPath
    .split('.')
    .map((seg) =>
      seg
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/[-\s]+/g, '_')
        .toLowerCase(),
    )
    .join('_');
}

/** Could this be a field of the rule language (an identifier that is not a keyword)? */
export function isFieldName(name: string): boolean {
  return IDENT_RE.test(name) && !KEYWORDS.has(name);
}
