import type { en } from './en.js';

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

/** Every catalog has the English catalog's keys (the unit test also checks the variables). */
export type Catalog = Strings<typeof en>;
