import { popSpec } from './pop';

export const spec = popSpec({ name: 'lpop', end: 'left', summary: 'Removes and returns elements from the head of a list.' });
