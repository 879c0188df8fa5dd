import { bpopSpec } from './bpop';

export const spec = bpopSpec({
  name: 'brpop',
  end: 'right',
  summary: 'Removes and returns the last element of the first non-empty list among several, waiting for one when all are empty.',
});
