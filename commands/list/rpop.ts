import { popSpec } from './pop';

export const spec = popSpec({ name: 'rpop', end: 'right', summary: 'Removes and returns elements from the tail of a list.' });
