import type { consoleEn } from './en.js';

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
/** Every language has the English keys of the console strings. */
export type ConsoleCatalog = Strings<typeof consoleEn>;
