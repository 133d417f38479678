"use client";

import { useEffect, useId, useRef, useState, useTransition } from "react";
import { buttonClass } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { GroupOption, GroupSearch } from "@/lib/directory/group-search";

/**
 * A searchable group picker. It searches only when the user types (debounced) or asks for more,
 * through the `search` server action it is given; the chosen groups are submitted as hidden
 * inputs `name` = `valuePrefix` + id (+ `|` + display name with `withName`).
 */
export function GroupPicker({
  label,
  name,
  search,
  initial = [],
  multiple = false,
  valuePrefix = "",
  withName = false,
  hint,
}: {
  label: string;
  name: string;
  search: GroupSearch;
  initial?: GroupOption[];
  multiple?: boolean;
  valuePrefix?: string;
  withName?: boolean;
  hint?: React.ReactNode;
}) {
  const id = useId();
  const [chosen, setChosen] = useState<GroupOption[]>(initial);
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<GroupOption[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const latest = useRef(0);

  const run = (q: string, after?: string) => {
    const ticket = ++latest.current;
    startTransition(async () => {
      const answer = await search(q, after);
      if (ticket !== latest.current) return; // an older answer arriving after a newer question
      if ("error" in answer) {
        setError(answer.error);
        setResults([]);
        setNext(null);
        return;
      }
      setError(undefined);
      setResults((current) => (after ? [...(current ?? []), ...answer.groups] : answer.groups));
      setNext(answer.next);
    });
  };

  useEffect(() => {
    if (!query.trim()) return;
    const timer = setTimeout(() => run(query.trim()), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);

  const choose = (group: GroupOption) => {
    setChosen((current) =>
      multiple ? (current.some((g) => g.id === group.id) ? current : [...current, group]) : [group],
    );
    if (!multiple) {
      setResults(null);
      setQuery("");
    }
  };

  return (
    <div className="space-y-2">
      {chosen.map((g) => (
        <input
          key={g.id}
          type="hidden"
          name={name}
          value={`${valuePrefix}${g.id}${withName ? `|${g.displayName}` : ""}`}
        />
      ))}
      {chosen.length ? (
        <ul className="flex flex-wrap gap-2" aria-label={`${label}: chosen`}>
          {chosen.map((g) => (
            <li
              key={g.id}
              className="inline-flex items-center gap-1 rounded-full bg-blue-50 px-3 py-1 text-sm text-blue-900 dark:bg-blue-950 dark:text-blue-100"
            >
              {g.displayName}
              <button
                type="button"
                className="ml-1 text-blue-700 hover:text-blue-900"
                aria-label={`Remove ${g.displayName}`}
                onClick={() => setChosen((c) => c.filter((x) => x.id !== g.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <input
        id={id}
        type="search"
        aria-label={label}
        placeholder="Type to search groups…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          if (!e.target.value.trim()) setResults(null);
        }}
        className="w-full max-w-md rounded-md border border-zinc-300 px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      />
      {hint ? <p className="text-xs text-muted">{hint}</p> : null}
      {pending ? <p className="text-xs text-muted">Searching…</p> : null}
      <FormMessage error={error} />
      {results ? (
        results.length ? (
          <ul
            role="listbox"
            aria-label={`${label}: results`}
            className="max-h-60 max-w-md overflow-auto rounded-md border border-zinc-200 dark:border-zinc-700"
          >
            {results.map((g) => (
              <li key={g.id} role="option" aria-selected={chosen.some((c) => c.id === g.id)}>
                <button
                  type="button"
                  onClick={() => choose(g)}
                  className="block w-full px-3 py-1.5 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
                >
                  {g.displayName}
                  {g.detail ? <span className="ml-2 text-xs text-muted">{g.detail}</span> : null}
                </button>
              </li>
            ))}
          </ul>
        ) : !pending ? (
          <p className="text-sm text-muted">No group matches “{query}”.</p>
        ) : null
      ) : null}
      {next && results ? (
        <button
          type="button"
          className={buttonClass("secondary")}
          disabled={pending}
          onClick={() => run(query.trim(), next)}
        >
          More results
        </button>
      ) : null}
    </div>
  );
}
