import { rangeSpec } from './range';

export const spec = rangeSpec({
  name: 'xrange',
  reverse: false,
  summary: 'Returns the entries of a stream whose IDs lie in a range, oldest first.',
});
