/** The bordered, scrollable table every list page uses; rows come as children. */
export function TableShell({
  testId,
  headers,
  children,
}: {
  testId: string;
  headers: React.ReactNode[];
  children: React.ReactNode;
}) {
  return (
    // Focusable, so a keyboard can scroll a table that is wider than the screen and holds no link.
    <div
      tabIndex={0}
      className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <table className="w-full text-left text-sm" data-testid={testId}>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs uppercase tracking-wide text-muted dark:border-zinc-800 dark:bg-zinc-900/50">
          <tr>
            {headers.map((h, i) => (
              <th key={i} scope="col" className="px-4 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
      </table>
    </div>
  );
}
