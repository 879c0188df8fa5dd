import { pushSpec } from './push';

export const spec = pushSpec({
  name: 'lpushx',
  end: 'left',
  onlyIfExists: true,
  summary: 'Adds elements at the head of a list that already exists; a missing key stays missing.',
  since: '2.2.0',
  multipleSince: '4.0.0',
});
