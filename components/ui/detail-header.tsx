import { TextLink } from "./text-link";

/** The head of a page about one thing: a link back to its list, its title, and a line about it. */
export function DetailHeader({
  back,
  title,
  children,
}: {
  back: { href: string; label: string };
  title: React.ReactNode;
  children?: React.ReactNode;
}) {
  return (
    <div>
      <TextLink href={back.href} className="text-sm">
        ← {back.label}
      </TextLink>
      <h2 className="mt-1 flex flex-wrap items-center gap-3 text-xl font-semibold">{title}</h2>
      {children}
    </div>
  );
}
