import { rangeSpec } from './range';

export const spec = rangeSpec({
  name: 'xrevrange',
  reverse: true,
  summary: 'Returns the entries of a stream whose IDs lie in a range, newest first.',
});
