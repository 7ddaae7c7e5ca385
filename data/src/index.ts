// @kx/data — code tables, validators, the field dictionary, the demo catalogue, generators.
export * from './codes/regions.ts';
export * from './dictionary/enums.ts';
export * from './dictionary/fields.ts';
export * from './codes/industries.ts';
export * from './codes/uscc.ts';
export * from './dictionary/dictionary.ts';
export * from './catalogue/files.ts';
export * from './codes/id-number.ts';
export * from './codes/mask.ts';
export * from './codes/size-class.ts';
export * from './codes/departments.ts';
export * from './generate/population.ts';
export * from './generate/format.ts';
export { DEFAULT_AS_OF } from './generate/context.ts';
export * from './generate/catalogue.ts';
export * from './generate/policy-yaml.ts';
export * from './catalogue/samples.ts';
export * from './codes/calendar.ts';
