export { BatchWriter, RowSkipped } from '@iis/persistence';
