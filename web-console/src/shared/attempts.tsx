import { time } from './format';
import type { Attempt } from './types';
import { Table } from './ui';

/** Every attempt of a delivery: when, how long, the answer's status and first kilobyte, the error. */
export function AttemptTable({ attempts }: { attempts?: Attempt[] }) {
  return (
    <Table
      label="Attempts"
      head={['#', 'Started', 'Duration', 'Status', 'Outcome', 'Answer', 'Error', 'Instance']}
      empty={attempts !== undefined && attempts.length === 0}
    >
      {(attempts ?? []).map((a) => (
        <tr key={a.number}>
          <td>{a.number}</td>
          <td>{time(a.startedAt)}</td>
          <td>{a.durationMs} ms</td>
          <td>{a.statusCode ?? ''}</td>
          <td>{a.outcome}</td>
          <td class="wrap">{a.responseExcerpt ?? ''}</td>
          <td class="wrap">{a.error ?? ''}</td>
          <td>{a.instance}</td>
        </tr>
      ))}
    </Table>
  );
}
