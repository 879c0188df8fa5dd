import { pushSpec } from './push';

export const spec = pushSpec({
  name: 'lpush',
  end: 'left',
  onlyIfExists: false,
  summary: 'Adds elements at the head of a list, creating the list when the key is missing.',
  since: '1.0.0',
  multipleSince: '2.4.0',
});
