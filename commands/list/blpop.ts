import { bpopSpec } from './bpop';

export const spec = bpopSpec({
  name: 'blpop',
  end: 'left',
  summary: 'Removes and returns the first element of the first non-empty list among several, waiting for one when all are empty.',
});
