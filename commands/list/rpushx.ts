import { pushSpec } from './push';

export const spec = pushSpec({
  name: 'rpushx',
  end: 'right',
  onlyIfExists: true,
  summary: 'Adds elements at the tail of a list that already exists; a missing key stays missing.',
  since: '2.2.0',
  multipleSince: '4.0.0',
});
