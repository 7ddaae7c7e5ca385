// The field dictionary of the demo city (聊城): fields, code tables, sources, regions.
import { createDictionary, type Dictionary } from '@kx/engine';
import { INDUSTRY_ENUMS } from '../codes/industries.ts';
import { createLiaochengRegions } from '../codes/regions.ts';
import { SMALL_ENUMS } from './enums.ts';
import { FIELDS, SOURCES } from './fields.ts';

let cached: Dictionary | undefined;

/** The dictionary every policy of the demo catalogue is checked against (built once). */
export function liaochengDictionary(): Dictionary {
  cached ??= createDictionary({ fields: FIELDS, enums: [...SMALL_ENUMS, ...INDUSTRY_ENUMS], sources: SOURCES, regions: createLiaochengRegions() });
  return cached;
}
